import { eventSignal } from './messages';
import { customerWorkflowId } from './names';
import type { EventSignal, JourneyInput } from './payloads';
import { journeyStartSearchAttributes } from './search-attributes';

/**
 * The signal-with-start options that hand one accepted event to its customer's journey, starting
 * it (on the v2 code) when it has none, with the search attributes it would publish after an
 * event that matches nothing. The gateway (events) and broadcasts (worker) both send these;
 * `definitions` names the version a new journey runs on, when the sender knows every worker has it.
 */
export function journeyEventStart(event: EventSignal, taskQueue: string, definitions?: string | null) {
  const input: JourneyInput = { v: 2, customerId: event.customerId, ...(definitions ? { definitions } : {}) };
  return {
    workflowId: customerWorkflowId(event.customerId),
    taskQueue,
    args: [input] as [JourneyInput],
    signal: eventSignal,
    signalArgs: [event] as [EventSignal],
    typedSearchAttributes: journeyStartSearchAttributes(event.customerId, event.receivedAt),
    staticSummary: `Journey of customer ${event.customerId}`,
  };
}
