// Events and deadlines through the matcher (libs/triggers), in arrival order.
import type { EventSignal } from '@kairos/contracts';
import type { Output } from '@kairos/triggers';
import { convertOn } from './conversions';
import { cap, iso, lite } from './journey-helpers';
import { recordEvents } from './journey-activities';
import { RECENT_LIMIT, type JourneyRun } from './journey-run';
import { cancelOnEvent, onMatch } from './responses';

/** Events kept with their properties (a match's bindings are resolved from them). */
const STORE_CAPACITY = 100;
/** Events recorded and matched per pass, so one activity input stays small. */
const BATCH = 500;

/** Buffered events, in batches: recorded durably, then fed to the matcher in arrival order. */
export async function ingestInbox(run: JourneyRun): Promise<void> {
  while (run.state.inbox.length > 0) {
    const batch = run.state.inbox.splice(0, BATCH);
    run.stage = 'processing';
    await recordEvents(
      batch.map((e) => ({
        customerId: e.customerId,
        eventId: e.id,
        name: e.name,
        ts: e.ts,
        receivedAt: e.receivedAt,
        workflowId: run.workflowId,
        properties: e.properties,
      })),
    );
    for (const e of batch) await ingest(run, e);
  }
}

async function ingest(run: JourneyRun, e: EventSignal): Promise<void> {
  const { state, engine } = run;
  // A gateway clock ahead of this worker's would postpone deadlines: clamp to workflow time.
  const receivedAt = Math.min(e.receivedAt, Date.now());
  const ev = lite({ id: e.id, name: e.name, ts: e.ts, receivedAt, properties: e.properties });
  state.store.push(ev);
  cap(state.store, STORE_CAPACITY);
  cancelOnEvent(run, ev);
  convertOn(run, ev, Date.now());
  const outputs: Output[] = [];
  // Deadlines that passed before this event fire first, as the `triggers replay` CLI does.
  for (let w = engine.nextWakeup(); w !== null && w < receivedAt; w = engine.nextWakeup())
    outputs.push(...engine.advanceTo(w));
  outputs.push(...engine.ingest({ ...ev, properties: e.properties }));
  let duplicate = false;
  for (const o of outputs) {
    if (o.type === 'match') await onMatch(run, o);
    else if (o.type === 'late') state.counters.late += 1;
    else if (o.type === 'duplicate' && o.eventId === e.id) duplicate = true;
  }
  if (duplicate) {
    state.counters.duplicates += 1;
    return;
  }
  state.counters.events += 1;
  state.lastEventAt = e.receivedAt;
  state.recent.push({ id: e.id, name: e.name, occurredAt: iso(e.ts) });
  cap(state.recent, RECENT_LIMIT);
}

/** Deadlines of the matcher (absences, inactivity, buffered releases) due by `now`. */
export async function advanceDeadlines(run: JourneyRun, now: number): Promise<void> {
  const wake = run.engine.nextWakeup();
  if (wake === null || wake > now) return;
  for (const o of run.engine.advanceTo(now)) if (o.type === 'match') await onMatch(run, o);
}
