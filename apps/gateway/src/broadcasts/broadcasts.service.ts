import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { BROADCAST_WORKFLOW_TYPE, broadcastWorkflowId, type BroadcastInput } from '@kairos/contracts';
import { BroadcastsRepository, type BroadcastRow } from '@kairos/persistence';
import { parseDuration } from '@kairos/triggers';
import { ProblemException, temporalUnavailable } from '../common/problem';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { DatabaseService } from '../database/database.service';
import { TemporalService } from '../temporal/temporal.service';
import type { BroadcastRequest, BroadcastView } from './broadcasts.schema';

const view = (b: BroadcastRow): BroadcastView => ({
  id: b.id,
  name: b.name,
  workflowId: broadcastWorkflowId(b.id),
  state: b.state,
  matched: b.matched,
  delivered: b.delivered,
  skipped: b.skipped,
  failed: b.failed,
  ratePerSecond: b.ratePerSecond,
  startJourneys: b.startJourneys,
  createdAt: b.createdAt.toISOString(),
  cancelRequestedAt: b.cancelRequestedAt?.toISOString() ?? null,
  finishedAt: b.finishedAt?.toISOString() ?? null,
});

const notFound = (id: string): ProblemException =>
  new ProblemException(404, 'broadcast-not-found', 'Broadcast not found', `No broadcast "${id}".`);

/** What the Web UI lists for the broadcast's workflow. */
function summaryOf(req: BroadcastRequest): string {
  const audience = req.audience.customers
    ? `${req.audience.customers.length} listed customers`
    : `customers where ${JSON.stringify(req.audience.where).slice(0, 120)}${req.audience.activeWithin ? ` active within ${req.audience.activeWithin}` : ''}`;
  return `Broadcast ${req.name} (${req.id}) to ${audience}, ${req.ratePerSecond}/s`;
}

/**
 * Broadcasts: stored once in Postgres (the id is the idempotency key), then run by one
 * `broadcastWorkflow` per broadcast, which keeps its progress in the same row.
 */
@Injectable()
export class BroadcastsService {
  private readonly repo: BroadcastsRepository;

  constructor(
    database: DatabaseService,
    private readonly temporal: TemporalService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.repo = new BroadcastsRepository(database.pool);
  }

  /** 202 `accepted`, or `duplicate` for a repeat of the same request; 409 for another one. */
  async create(
    req: BroadcastRequest,
    keyId: string | undefined,
  ): Promise<BroadcastView & { status: 'accepted' | 'duplicate' }> {
    const requestHash = createHash('sha256').update(JSON.stringify(req)).digest('hex');
    const { where, activeWithin, customers } = req.audience;
    const { created, row } = await this.repo.create({
      id: req.id,
      name: req.name,
      properties: req.properties,
      audience: customers
        ? { kind: 'customers', customers }
        : {
            kind: 'where',
            where,
            activeWithinMs: activeWithin === undefined ? null : parseDuration(activeWithin),
          },
      ratePerSecond: req.ratePerSecond,
      startJourneys: req.startJourneys,
      requestHash,
      createdBy: keyId ?? null,
    });
    if (!created && row.requestHash !== requestHash)
      throw new ProblemException(
        409,
        'broadcast-conflict',
        'Broadcast id already used',
        `Broadcast "${req.id}" exists with another name, audience or settings; choose a new id.`,
      );
    // Also on a repeat: the first POST may have stored the row and then missed Temporal.
    if (row.state === 'running') await this.start(req);
    return { ...view(row), status: created ? 'accepted' : 'duplicate' };
  }

  async get(id: string): Promise<BroadcastView> {
    const row = await this.repo.get(id);
    if (!row) throw notFound(id);
    return view(row);
  }

  /** Cancels the workflow (its page in flight stops at the next chunk); 409 once finished. */
  async cancel(id: string): Promise<BroadcastView> {
    const row = await this.repo.requestCancel(id);
    if (!row) throw notFound(id);
    if (row.state !== 'running')
      throw new ProblemException(
        409,
        'broadcast-finished',
        'Broadcast has finished',
        `Broadcast "${id}" is ${row.state}; there is nothing to cancel.`,
      );
    try {
      await this.temporal.call(() =>
        this.temporal.client.workflow.getHandle(broadcastWorkflowId(id)).cancel(),
      );
    } catch (err) {
      // Never started (Temporal was down at POST): nothing runs, so the row says cancelled now.
      if (!(err instanceof WorkflowNotFoundError))
        throw temporalUnavailable(this.config.retryAfterS, 'The broadcast was not cancelled', err);
      return view((await this.repo.finish(id, 'cancelled')) ?? row);
    }
    return view(row);
  }

  private async start(req: BroadcastRequest): Promise<void> {
    const input: BroadcastInput = { v: 1, broadcastId: req.id };
    try {
      await this.temporal.call(() =>
        this.temporal.client.workflow.start(BROADCAST_WORKFLOW_TYPE, {
          workflowId: broadcastWorkflowId(req.id),
          taskQueue: this.temporal.taskQueue,
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          staticSummary: summaryOf(req),
        }),
      );
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return;
      throw temporalUnavailable(this.config.retryAfterS, 'The broadcast was stored but not started', err);
    }
  }
}
