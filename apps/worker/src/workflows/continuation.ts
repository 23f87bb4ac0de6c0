// Continue-as-new: when, and what the next run gets (the carried state, nothing lost).
import { allHandlersFinished, condition, continueAsNew, sleep, workflowInfo } from '@temporalio/workflow';
import type { JourneyInput } from '@kairos/contracts';
import { currentDefinitions } from './journey-activities';
import type { JourneyRun } from './journey-run';
import { snapshotJourneyState } from './journey-state';

/**
 * Whether the run continues as new now: past its history bound (or when the server suggests it),
 * once a workflow task arrives that carries no signal. The server refuses to close a run while
 * signals arrive during the closing task, and each refusal evicts and replays the whole run,
 * which under a burst only grows (and the retry's task then brings every signal that arrived
 * meanwhile, all carried by the next run). So the run first waits one round trip (a 1 ms timer,
 * never cancelled: cancelling a timer that fires meanwhile trips the Java test server): if a
 * signal came in by then, the loop takes it in and tries again after the next pass; if not, the
 * close races only the few milliseconds of an empty task. A burst postpones the close to its end:
 * real streams are far slower (the gateway limits each customer's rate), and a real server
 * refuses signals to a run whose close it refused until it closes, and beyond its per-run signal
 * limit. Work in flight finishes first.
 */
export async function timeToContinue(run: JourneyRun, woken: () => boolean): Promise<boolean> {
  if (!run.inFlight.idle || woken()) return false;
  const info = workflowInfo();
  if (!info.continueAsNewSuggested && info.historyLength < run.state.historyBound) return false;
  if (!run.historyBoundKnown) {
    // A first run started on a named version asks the worker's bound only once it could matter.
    run.state.historyBound = (await currentDefinitions()).historyBound;
    run.historyBoundKnown = true;
    return false;
  }
  await sleep(1);
  return !woken();
}

/** Continues as new with the state (whatever arrived meanwhile included): nothing accepted is lost. */
export async function continueWithNextRun(run: JourneyRun): Promise<never> {
  await condition(allHandlersFinished);
  const carried = snapshotJourneyState(run.state, run.engine.snapshot());
  return continueAsNew<(input: JourneyInput) => Promise<void>>({ v: 2, customerId: run.customerId, carried });
}
