// The activities the v2 journey calls, with their timeouts and (always bounded) retry policies.
// A call that exhausts its retries fails; the journey records the failure and carries on.
import { proxyActivities, proxyLocalActivities, type LocalActivityOptions } from '@temporalio/workflow';
import type {
  ChannelActivities,
  DecisionActivities,
  DefinitionsActivities,
  EscalationActivities,
  JourneyActivities,
} from '../activities';

/** Events signalled by senders that did not record them (v: 1); about a day of retries. */
export const { recordEvents } = proxyActivities<JourneyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 1500 },
});

// A send runs first as a local activity, one attempt: no task of its own, its result one marker.
// Providers answer well within the timeout; while it runs the workflow task stays open, so new
// events wait at most that long.
export const { sendMessage: sendMessageNow } = proxyLocalActivities<ChannelActivities>({
  startToCloseTimeout: '5 seconds',
  retry: { maximumAttempts: 1 },
});

// A send that failed or timed out as a local activity is retried as an activity. Deliveries give
// up after ~1 hour of retries so a dead provider marks the response failed (and lets a fallback
// channel take over) instead of holding the response forever.
export const { sendMessage } = proxyActivities<ChannelActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes', maximumAttempts: 20 },
});

// An escalation write retried for about a day; a chat post failing that long is recorded as failed.
export const { openEscalation, resolveEscalation } = proxyActivities<EscalationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 1500 },
});

// Decisions and small writes: local activities, recorded as one marker each, no task of their own.
const local: LocalActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { maximumInterval: '30 seconds', maximumAttempts: 10 },
};
export const { currentDefinitions } = proxyLocalActivities<DefinitionsActivities>(local);
export const { decideMatch, planSend, nextInstants } = proxyLocalActivities<DecisionActivities>(local);
export const { logAttribution } = proxyLocalActivities<JourneyActivities>(local);
