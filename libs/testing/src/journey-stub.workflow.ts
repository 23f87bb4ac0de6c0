// A stand-in journey for the gateway's tests (the real one lives in apps/worker): it answers the
// journey query from the signals it received, so the gateway can be tested against real Temporal.
import { condition, defineQuery, defineSignal, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  QUERIES,
  SIGNALS,
  type EventSignal,
  type ExitSignal,
  type JourneyInput,
  type JourneyView,
  type ProfileChangedSignal,
} from '@kairos/contracts';

export async function customerJourneyWorkflow(input: JourneyInput): Promise<void> {
  const seen: string[] = [];
  const view: JourneyView = {
    customerId: input.customerId,
    workflowId: workflowInfo().workflowId,
    stage: 'waiting',
    recentEvents: [],
    partialMatches: [],
    pendingResponses: [],
    history: [],
    counters: { events: 0, duplicates: 0, late: 0 },
  };
  setHandler(defineSignal<[EventSignal]>(SIGNALS.event), (e) => {
    if (seen.includes(e.id)) {
      view.counters.duplicates += 1;
      return;
    }
    seen.push(e.id);
    view.counters.events += 1;
    view.recentEvents.push({ id: e.id, name: e.name, occurredAt: new Date(e.ts).toISOString() });
  });
  setHandler(defineSignal<[ProfileChangedSignal]>(SIGNALS.profileChanged), () => {
    view.stage = 'profile-changed';
  });
  setHandler(defineSignal<[ExitSignal]>(SIGNALS.exit), (x) => {
    view.stage = `exited:${x.reason}`;
  });
  setHandler(defineQuery<JourneyView>(QUERIES.journey), () => view);
  await condition(() => false);
}
