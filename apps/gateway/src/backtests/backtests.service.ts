import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { BACKTEST_WORKFLOW_TYPE, backtestWorkflowId, type BacktestInput } from '@kairos/contracts';
import { BacktestEventsRepository, BacktestsRepository, type BacktestRow } from '@kairos/persistence';
import {
  emptyTally,
  prepareBacktest,
  runBacktestCustomer,
  tallyResults,
  TraceRecorder,
  type TallyState,
} from '@kairos/triggers';
import { ProblemException, temporalUnavailable } from '../common/problem';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { DatabaseService } from '../database/database.service';
import { TemporalService } from '../temporal/temporal.service';
import { TriggerCatalogService } from '../triggers/trigger-catalog.service';
import { resolveBacktest } from './backtest-request';
import {
  MAX_TRACE_ENTRIES,
  type BacktestAccepted,
  type BacktestRequest,
  type BacktestTrace,
  type BacktestView,
} from './backtest.schemas';

const notFound = (id: string): ProblemException =>
  new ProblemException(404, 'backtest-not-found', 'Backtest not found', `No backtest "${id}".`);

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

function view(row: BacktestRow): BacktestView {
  const job = prepareBacktest(row.spec);
  const tally = (row.results as TallyState | null) ?? emptyTally(job.spec.triggers);
  const { customersDone, customersTotal, eventsDone } = row.progress;
  const fraction =
    row.state === 'completed' ? 1 : customersTotal ? Math.min(1, customersDone / customersTotal) : 0;
  return {
    id: row.id,
    state: row.state,
    createdAt: row.createdAt.toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    request: row.request as BacktestView['request'],
    progress: { customersDone, customersTotal, eventsDone, fraction },
    results: tallyResults(job.spec, tally),
    error: row.error,
  };
}

/**
 * Backtests (docs/api.md §11): stored in Postgres, run by one `backtestWorkflow` each, which
 * keeps state, progress and the tally in the same row; traces are computed here, per customer.
 */
@Injectable()
export class BacktestsService {
  private readonly logger = new Logger('Backtests');
  private readonly jobs: BacktestsRepository;
  private readonly events: BacktestEventsRepository;

  constructor(
    database: DatabaseService,
    private readonly temporal: TemporalService,
    private readonly catalog: TriggerCatalogService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.jobs = new BacktestsRepository(database.pool);
    this.events = new BacktestEventsRepository(database.pool);
  }

  async create(req: BacktestRequest): Promise<BacktestAccepted> {
    const resolved = resolveBacktest(req, this.catalog);
    if (!resolved.ok)
      throw new ProblemException(
        400,
        'validation',
        'Request body is invalid',
        `${resolved.errors.length} field(s) failed validation: ${resolved.errors.map((e) => e.path).join(', ')}`,
        resolved.errors,
      );
    const id = `bt_${randomBytes(16).toString('hex')}`;
    await this.jobs.create(id, resolved.summary, resolved.spec);
    const input: BacktestInput = { v: 1, backtestId: id };
    try {
      await this.temporal.call(() =>
        this.temporal.client.workflow.start(BACKTEST_WORKFLOW_TYPE, {
          workflowId: backtestWorkflowId(id),
          taskQueue: this.temporal.taskQueue,
          args: [input],
          staticSummary: `Backtest ${id} of ${resolved.summary.triggers.map((t) => t.id).join(', ')}`,
        }),
      );
    } catch (err) {
      // Not started: nothing will run it, so it was never accepted.
      await this.jobs.delete(id);
      throw temporalUnavailable(this.config.retryAfterS, 'The backtest was not started', err);
    }
    return { id, state: 'queued' };
  }

  async get(id: string): Promise<BacktestView> {
    const row = await this.jobs.get(id);
    if (!row) throw notFound(id);
    return view(row);
  }

  /** The row says cancelled at once (the run stops at its next checkpoint); then the workflow is cancelled. */
  async cancel(id: string): Promise<BacktestAccepted> {
    const row = await this.jobs.get(id);
    if (!row) throw notFound(id);
    if (!(await this.jobs.cancel(id)))
      throw new ProblemException(
        409,
        'backtest-finished',
        'Backtest has finished',
        `Backtest "${id}" is ${(await this.jobs.get(id))?.state ?? row.state}; there is nothing to cancel.`,
      );
    try {
      await this.temporal.call(() =>
        this.temporal.client.workflow.getHandle(backtestWorkflowId(id)).cancel(),
      );
    } catch (err) {
      // The row already stops the run at its next checkpoint: a missed cancel only costs that wait.
      if (!(err instanceof WorkflowNotFoundError))
        this.logger.warn(`backtest ${id}: workflow cancel failed: ${(err as Error).message}`);
    }
    return { id, state: 'cancelled' };
  }

  /** Runs the customer's events of the range again with a trace observer. */
  async trace(id: string, customerId: string): Promise<BacktestTrace> {
    const row = await this.jobs.get(id);
    if (!row) throw notFound(id);
    const job = prepareBacktest(row.spec);
    let events: {
      id: string;
      name: string;
      ts: number;
      receivedAt: number;
      properties: Record<string, unknown>;
    }[] = [];
    for await (const c of this.events.customers({
      from: job.spec.from,
      to: job.spec.to,
      customers: [customerId],
    }))
      events = c.events;
    const truncated = events.length > MAX_TRACE_ENTRIES;
    if (truncated) events = events.slice(0, MAX_TRACE_ENTRIES);
    const recorder = new TraceRecorder(MAX_TRACE_ENTRIES);
    runBacktestCustomer(job.spec, events, { observer: recorder });
    return {
      backtestId: id,
      customerId,
      events: events.map((e) => ({ id: e.id, name: e.name, ts: new Date(e.ts).toISOString() })),
      entries: recorder.entries.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
      truncated: truncated || recorder.dropped > 0,
    };
  }
}
