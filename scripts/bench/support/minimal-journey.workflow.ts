/**
 * The textbook workflow-per-customer journey the throughput bench compares Kairos with: each
 * event signal is answered by one local activity (a POST to the sink) in the same workflow task,
 * so an event costs a signal, one workflow task and one marker in history.
 */
import { condition, defineSignal, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { MinimalActivities, MinimalEvent } from './minimal-journey.activities';

export const minimalEventSignal = defineSignal<[MinimalEvent]>('event');

const { deliver } = proxyLocalActivities<MinimalActivities>({ startToCloseTimeout: '10 seconds' });

/** Lives as long as the bench's throwaway server: an entity workflow, like the Kairos journey. */
export async function minimalJourneyWorkflow(): Promise<void> {
  const inbox: MinimalEvent[] = [];
  setHandler(minimalEventSignal, (event) => void inbox.push(event));
  for (;;) {
    await condition(() => inbox.length > 0);
    await deliver(inbox.shift()!);
  }
}
