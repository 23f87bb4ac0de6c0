import { CancellationScope, isCancellation, proxyActivities } from '@temporalio/workflow';
import type { BacktestInput } from '@kairos/contracts';
import type { BacktestActivities } from '../backtests/backtest.activities';

const { runBacktest } = proxyActivities<BacktestActivities>({
  // A large range runs for minutes; the heartbeat (every customer, after counting the range's
  // customers, which can take a while) tells a dead worker apart, and the retry resumes after
  // the last checkpoint in the `backtests` row.
  startToCloseTimeout: '6 hours',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 },
});
const { endBacktest } = proxyActivities<BacktestActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** The activity's own failure message when there is one (an ActivityFailure wraps it). */
function messageOf(err: unknown): string {
  const e = err as Error & { cause?: Error };
  return e.cause?.message ?? e.message;
}

/**
 * One backtest (docs/api.md §11). Its state, progress and results live in the `backtests` row;
 * the workflow only makes the run durable: retried after a crash, cancellable.
 */
export async function backtestWorkflow(input: BacktestInput): Promise<string> {
  try {
    return (await runBacktest({ backtestId: input.backtestId })).state;
  } catch (err) {
    const cancelled = isCancellation(err);
    await CancellationScope.nonCancellable(() =>
      endBacktest({
        backtestId: input.backtestId,
        state: cancelled ? 'cancelled' : 'failed',
        error: cancelled ? undefined : messageOf(err),
      }),
    );
    if (cancelled) throw err;
    return 'failed';
  }
}
