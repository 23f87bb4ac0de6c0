// Signals only record (deduped, queued in the state); the main loop does the work, in order.
import { setHandler } from '@temporalio/workflow';
import {
  escalationAckSignal,
  eventSignal,
  exitSignal,
  feedbackSignal,
  profileChangedSignal,
} from '@kairos/contracts';
import type { JourneyState } from './journey-state';

/** Event ids remembered for dedupe: a retried gateway call within the last 2,000 events counts once. */
const SEEN_CAPACITY = 2000;

/**
 * Registers the signal handlers. Call before the first await, so no signal delivered with the
 * start (signal-with-start) is missed.
 */
export function registerIntake(state: JourneyState): void {
  const seen = new Set(state.seen);
  setHandler(eventSignal, (event) => {
    if (seen.has(event.id)) {
      state.counters.duplicates += 1;
      return;
    }
    seen.add(event.id);
    state.seen.push(event.id);
    const forgotten = state.seen.length > SEEN_CAPACITY ? state.seen.shift() : undefined;
    if (forgotten !== undefined) seen.delete(forgotten);
    state.inbox.push(event);
  });
  setHandler(profileChangedSignal, () => {
    state.profileStale = true;
    state.calendarsStale = true;
    state.scoresStale = true;
  });
  setHandler(exitSignal, (e) => void state.exits.push(e));
  setHandler(escalationAckSignal, (a) => void state.acks.push(a));
  setHandler(feedbackSignal, (f) => void state.feedbacks.push(f));
}

/** Whether a signal waits to be handled. */
export function hasSignals(state: JourneyState): boolean {
  return (
    state.inbox.length > 0 || state.exits.length > 0 || state.acks.length > 0 || state.feedbacks.length > 0
  );
}
