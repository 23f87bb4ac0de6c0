import { Inject, Injectable } from '@nestjs/common';
import { isGrpcServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { customerWorkflowId } from '@kairos/contracts';
import { ProblemException } from '../common/problem';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { TemporalService } from '../temporal/temporal.service';

/** gRPC statuses (the raw service calls below throw gRPC errors, not SDK ones). */
const GRPC_NOT_FOUND = 5;
const GRPC_UNIMPLEMENTED = 12;

const isUnimplemented = (err: unknown): boolean =>
  isGrpcServiceError(err) && Number(err.code) === GRPC_UNIMPLEMENTED;

function isNotFound(err: unknown): boolean {
  return (
    err instanceof WorkflowNotFoundError ||
    (err instanceof Error && err.name === 'WorkflowNotFoundError') ||
    (isGrpcServiceError(err) && Number(err.code) === GRPC_NOT_FOUND)
  );
}

/**
 * Removes a customer's journey from Temporal: every run of the workflow id is deleted with its
 * history, which holds the profile and events. DeleteWorkflowExecution on a running run
 * terminates it first (in the same call, so it schedules no more sends) and deletes it right
 * after; closed runs (earlier journeys, continue-as-new chains) are deleted by the server in the
 * background, within about half a minute on the dev server. Each call runs under KAIROS_TEMPORAL_TIMEOUT_MS; failures are thrown for the
 * caller to answer 503 (the erasure is then repeated, and every step here tolerates "already gone").
 */
@Injectable()
export class JourneyEraser {
  constructor(
    private readonly temporal: TemporalService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** Terminates and deletes every run of `customer:<id>`; returns how many runs it deleted. */
  async erase(customerId: string): Promise<number> {
    const workflowId = customerWorkflowId(customerId);
    // Runs are collected before deleting and deleted by run id, so a new journey started by an
    // event arriving meanwhile is not deleted along with the old ones.
    const runIds = new Set(await this.listRuns(workflowId));
    const current = await this.currentRun(workflowId);
    if (current) runIds.add(current);
    // The current (possibly running) run first: it is the one that could still send.
    const ordered = current ? [current, ...[...runIds].filter((r) => r !== current)] : [...runIds];
    let deleted = 0;
    for (const runId of ordered) if (await this.deleteRun(workflowId, runId)) deleted += 1;
    return deleted;
  }

  /** The run id of the latest run (visibility may not list a just-started one yet), or null. */
  private async currentRun(workflowId: string): Promise<string | null> {
    try {
      const described = await this.temporal.call(() =>
        this.temporal.client.workflow.getHandle(workflowId).describe(),
      );
      return described.runId;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  /**
   * Every run the visibility store knows for the id: earlier journeys and continue-as-new chains.
   * (Customer ids never hold a quote: CustomerIdSchema allows A-Z a-z 0-9 . _ : @ - only.)
   */
  private async listRuns(workflowId: string): Promise<string[]> {
    const runIds: string[] = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await this.temporal
        .call(() =>
          this.temporal.connection.workflowService.listWorkflowExecutions({
            namespace: this.config.namespace,
            query: `WorkflowId = '${workflowId}'`,
            pageSize: 100,
            nextPageToken,
          }),
        )
        // A server without visibility (the time-skipping test server): the current run only.
        .catch((err: unknown) => {
          if (isUnimplemented(err)) return { executions: [], nextPageToken: undefined };
          throw err;
        });
      for (const e of page.executions ?? []) if (e.execution?.runId) runIds.push(e.execution.runId);
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken);
    return runIds;
  }

  /** False when the run was already gone (an erasure repeated while the server still lists it). */
  private async deleteRun(workflowId: string, runId: string): Promise<boolean> {
    try {
      await this.temporal.call(() =>
        this.temporal.connection.workflowService.deleteWorkflowExecution({
          namespace: this.config.namespace,
          workflowExecution: { workflowId, runId },
        }),
      );
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      if (isUnimplemented(err)) await this.refuse(workflowId, runId);
      throw err;
    }
  }

  /**
   * A server that cannot delete histories (only the time-skipping test server; Temporal has had
   * DeleteWorkflowExecution since 1.17): the run is stopped, and the erasure refused rather than
   * reported done with the history kept.
   */
  private async refuse(workflowId: string, runId: string): Promise<never> {
    await this.temporal
      .call(() => this.temporal.client.workflow.getHandle(workflowId, runId).terminate('customer erased'))
      .catch(() => undefined);
    throw new ProblemException(
      501,
      'erasure-unsupported',
      'Temporal cannot delete histories',
      'This Temporal server does not implement DeleteWorkflowExecution: the journey was stopped but its history is kept, and nothing else was erased.',
    );
  }
}
