import {
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  allHandlersFinished,
} from '@temporalio/workflow';
import { QUERIES, SIGNALS, type EventSignal, type JourneyInput, type JourneyView } from '@kairos/contracts';
import type { JourneyActivities } from '../activities';

export const eventSignal = defineSignal<[EventSignal]>(SIGNALS.event);
export const journeyQuery = defineQuery<JourneyView>(QUERIES.journey);

const { recordEvent } = proxyActivities<JourneyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

type Carried = { seen: string[]; counters: JourneyView['counters']; recent: JourneyView['recentEvents'] };

const SEEN_CAPACITY = 2000;
const RECENT_CAPACITY = 20;

/** The long-lived journey of one customer: takes in events and records them durably. */
export async function customerJourneyWorkflow(input: JourneyInput): Promise<void> {
  const carried = (input.carried as Carried | undefined) ?? {
    seen: [],
    counters: { events: 0, duplicates: 0, late: 0 },
    recent: [],
  };
  const seen = carried.seen;
  const counters = carried.counters;
  const recent = carried.recent;
  const inbox: EventSignal[] = [];
  let stage = 'waiting';

  // The handler only records; the main loop does the work in order.
  setHandler(eventSignal, (event) => {
    if (seen.includes(event.id)) {
      counters.duplicates += 1;
      return;
    }
    seen.push(event.id);
    if (seen.length > SEEN_CAPACITY) seen.shift();
    inbox.push(event);
  });
  setHandler(journeyQuery, () => ({
    customerId: input.customerId,
    workflowId: workflowInfo().workflowId,
    stage,
    recentEvents: recent,
    partialMatches: [],
    pendingResponses: [],
    history: [],
    counters,
  }));

  upsertSearchAttributes({ CustomerId: [input.customerId], JourneyStage: [stage] });

  for (;;) {
    await condition(() => inbox.length > 0 || workflowInfo().continueAsNewSuggested);
    const event = inbox.shift();
    if (event) {
      stage = 'processing';
      await recordEvent({
        customerId: event.customerId,
        eventId: event.id,
        name: event.name,
        ts: event.ts,
        receivedAt: event.receivedAt,
        workflowId: workflowInfo().workflowId,
      });
      counters.events += 1;
      recent.push({ id: event.id, name: event.name, occurredAt: new Date(event.ts).toISOString() });
      if (recent.length > RECENT_CAPACITY) recent.shift();
      stage = 'waiting';
      upsertSearchAttributes({ LastEventAt: [new Date(event.receivedAt)], JourneyStage: [stage] });
    }
    if (inbox.length === 0 && workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      // Signals that arrive after this point are delivered to the next run.
      if (inbox.length === 0) {
        await continueAsNew<typeof customerJourneyWorkflow>({ ...input, carried: { seen, counters, recent } });
      }
    }
  }
}
