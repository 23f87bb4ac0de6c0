// The journey's signals and query, defined once: the workflow registers handlers for these and the
// gateway's JourneyClient sends them, so a name or payload type cannot drift between the two.
// defineSignal/defineQuery only build plain descriptors: safe in the workflow sandbox and in Node.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import { QUERIES, SIGNALS } from './names';
import type {
  EscalationAckSignal,
  EventSignal,
  ExitSignal,
  FeedbackSignal,
  JourneyView,
  ProfileChangedSignal,
} from './payloads';

/** One accepted event (signal-with-start by the gateway). */
export const eventSignal = defineSignal<[EventSignal]>(SIGNALS.event);
/** The stored profile changed: pending decisions read it again. */
export const profileChangedSignal = defineSignal<[ProfileChangedSignal]>(SIGNALS.profileChanged);
/** Cancel every pending response (API exit). */
export const exitSignal = defineSignal<[ExitSignal]>(SIGNALS.exit);
/** A human acknowledged an escalation. */
export const escalationAckSignal = defineSignal<[EscalationAckSignal]>(SIGNALS.escalationAck);
/** A response to a delivery (opened, clicked, bounced, ...). */
export const feedbackSignal = defineSignal<[FeedbackSignal]>(SIGNALS.feedback);
/** The live journey (GET /v1/customers/{id}/journey). */
export const journeyQuery = defineQuery<JourneyView>(QUERIES.journey);
