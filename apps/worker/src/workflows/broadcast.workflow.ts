import {
  ActivityCancellationType,
  CancellationScope,
  continueAsNew,
  isCancellation,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  broadcastQuery,
  broadcastSummary,
  type BroadcastInput,
  type BroadcastProgress,
} from '@kairos/contracts';
import type { BroadcastActivities } from '../activities/broadcast.activities';

const { deliverBroadcast, cancelBroadcast } = proxyActivities<BroadcastActivities>({
  // One call delivers for up to 5 minutes (plus a page in flight at a low rate); the heartbeat
  // (every signal) tells a dead worker apart quickly, and the retry resumes after the last chunk.
  // Bounded like every retry of Kairos: about a day of attempts rides out an outage, not a bug.
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 2_880 },
  // On cancel, wait for the page to stop: it counts what it handed on before the row is closed.
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
});

/**
 * One broadcast (docs/api.md "Broadcasts"): delivers its audience page by page until done or
 * cancelled. The progress lives in the `broadcasts` row, so the input never changes, a
 * continue-as-new carries nothing, and any retry resumes where the row says.
 */
export async function broadcastWorkflow(input: BroadcastInput): Promise<BroadcastProgress> {
  let progress: BroadcastProgress = { state: 'running', matched: 0, delivered: 0, skipped: 0, failed: 0 };
  setHandler(broadcastQuery, () => progress);
  try {
    while (progress.state === 'running') {
      const page = await deliverBroadcast({ broadcastId: input.broadcastId });
      progress = page.progress;
      setCurrentDetails(broadcastSummary(page.name, progress));
      if (progress.state === 'running' && workflowInfo().continueAsNewSuggested)
        await continueAsNew<typeof broadcastWorkflow>(input);
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // The cancel request (POST /v1/broadcasts/{id}/cancel) cancelled the page in flight; the row
    // must still say so, whatever else is cancelled.
    const page = await CancellationScope.nonCancellable(() =>
      cancelBroadcast({ broadcastId: input.broadcastId }),
    );
    progress = page.progress;
    setCurrentDetails(broadcastSummary(page.name, progress));
    throw err; // the Web UI shows the run as Canceled
  }
  return progress;
}
