// The work of a backtest (docs/api.md §11): reads the stored events customer by customer and
// counts what the triggers would have done, saving a checkpoint at least every second so a
// retried attempt (a worker restart) resumes after the last counted customer.
import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import {
  BacktestEventsRepository,
  BacktestsRepository,
  CustomersReadRepository,
  type BacktestRow,
} from '@kairos/persistence';
import {
  emptyTally,
  prepareBacktest,
  tallyCustomer,
  type PreparedBacktest,
  type TallyState,
} from '@kairos/triggers';
import { policyJudge } from './policy-judge';

export type BacktestOutcome = { state: BacktestRow['state'] };

/** How often a running backtest saves its tally and progress. */
const CHECKPOINT_MS = 1000;

export function createBacktestActivities(deps: { pool: Pool }) {
  const jobs = new BacktestsRepository(deps.pool);
  const events = new BacktestEventsRepository(deps.pool);
  const profiles = new CustomersReadRepository(deps.pool);

  async function run(row: BacktestRow, job: PreparedBacktest): Promise<BacktestOutcome> {
    const base = {
      from: job.spec.from,
      to: job.spec.to,
      ...(job.customers ? { customers: job.customers } : {}),
    };
    const total = await events.countCustomers({ ...base, ...(job.sample ? { limit: job.sample } : {}) });
    const started = await jobs.start(row.id, total);
    if (!started) return { state: (await jobs.get(row.id))?.state ?? 'cancelled' };
    const tally = (started.results as TallyState | null) ?? emptyTally(job.spec.triggers);
    const progress = { ...started.progress, customersTotal: total };
    let last = started.checkpoint;
    let saved = Date.now();
    // The tally may hold samples of a customer erased since the start (DELETE /v1/customers/{id}):
    // the checkpoint leaves them out of what it saves, so this run never writes them back.
    const save = () => jobs.checkpoint(row.id, progress, tally, last);
    const stream = events.customers({
      ...base,
      after: last,
      propertyKeys: job.keys,
      ...(job.sample ? { limit: Math.max(0, job.sample - progress.customersDone) } : {}),
    });
    const ctx = Context.current();
    for await (const customer of stream) {
      const judge = job.policy
        ? policyJudge(job.spec.triggers, job.policy, await profiles.get(customer.customerId))
        : null;
      tallyCustomer(job.spec, tally, customer, judge);
      progress.customersDone++;
      progress.eventsDone += customer.events.length;
      last = customer.customerId;
      ctx.heartbeat(progress.customersDone);
      if (Date.now() - saved >= CHECKPOINT_MS) {
        if (!(await save())) return { state: 'cancelled' };
        saved = Date.now();
      }
      if (ctx.cancellationSignal.aborted) {
        await save();
        throw new CancelledFailure('backtest cancelled');
      }
    }
    if (!(await save())) return { state: 'cancelled' };
    await jobs.finish(row.id, 'completed');
    return { state: 'completed' };
  }

  return {
    /** Runs (or resumes) a backtest to its end; the row says where it stands. */
    async runBacktest(input: { backtestId: string }): Promise<BacktestOutcome> {
      const row = await jobs.get(input.backtestId);
      if (!row) return { state: 'failed' };
      if (row.state !== 'queued' && row.state !== 'running') return { state: row.state };
      let job: PreparedBacktest;
      try {
        job = prepareBacktest(row.spec);
      } catch (e) {
        // A spec that cannot run never will: fail the job, do not retry.
        await jobs.finish(row.id, 'failed', (e as Error).message);
        return { state: 'failed' };
      }
      return run(row, job);
    },

    /** Ends a backtest that could not run (retries exhausted) or was cancelled. */
    async endBacktest(input: {
      backtestId: string;
      state: 'failed' | 'cancelled';
      error?: string;
    }): Promise<void> {
      if (input.state === 'cancelled') await jobs.cancel(input.backtestId);
      else await jobs.finish(input.backtestId, 'failed', input.error ?? 'the backtest failed');
    },
  };
}

export type BacktestActivities = ReturnType<typeof createBacktestActivities>;
