// Events and deadlines through the matcher (libs/triggers), in arrival order.
import { log } from '@temporalio/workflow';
import type { EventSignal } from '@kairos/contracts';
import type { MatchOutput, Output } from '@kairos/triggers';
import type { RecordEventInput } from '../activities';
import { convertOn } from './conversions';
import { cap, iso, lite } from './journey-helpers';
import { recordEvents } from './journey-activities';
import { RECENT_LIMIT, type JourneyRun } from './journey-run';
import { cancelOnEvent, onMatch } from './responses';

/** Events kept with their properties (a match's bindings are resolved from them). */
const STORE_CAPACITY = 100;
/** Events matched per pass. */
const BATCH = 500;
/** One recordEvents input stays far below Temporal's 256 KiB limit. */
const MAX_RECORD_BYTES = 128 * 1024;

/**
 * Buffered events, in batches, fed to the matcher in arrival order. Plain code per event: every
 * promise in workflow code costs a captured stack trace, so only a match that needs a decision
 * from the profile (a local activity) awaits anything.
 */
export async function ingestInbox(run: JourneyRun): Promise<void> {
  while (run.state.inbox.length > 0) {
    const batch = run.state.inbox.splice(0, BATCH);
    run.stage = 'processing';
    if (batch.some((e) => e.v !== 2)) await recordUnrecorded(run, batch);
    for (const e of batch) {
      const deciding = handleMatches(run, ingest(run, e));
      // `await undefined` would still make a promise: only a pending decision is awaited.
      if (deciding) await deciding;
    }
  }
}

/** Handles the matches of one step of the matcher in order; a promise only when one needs a decision. */
function handleMatches(run: JourneyRun, matches: MatchOutput[]): Promise<void> | undefined {
  for (let i = 0; i < matches.length; i++) {
    const deciding = onMatch(run, matches[i] as MatchOutput);
    if (deciding) return deciding.then(() => handleMatches(run, matches.slice(i + 1)));
  }
  return undefined;
}

/**
 * The gateway records every event in journey_events before it signals it (`v: 2`). Events from
 * older senders (`v: 1`, e.g. during a rolling upgrade) are recorded here, before matching.
 */
async function recordUnrecorded(run: JourneyRun, batch: EventSignal[]): Promise<void> {
  let chunk: RecordEventInput[] = [];
  let bytes = 0;
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    const rows = chunk;
    chunk = [];
    bytes = 0;
    try {
      await recordEvents(rows);
    } catch (err) {
      log.error('events not recorded in journey_events after a day of retries', { error: String(err) });
    }
  };
  for (const e of batch) {
    if (e.v === 2) continue;
    const row: RecordEventInput = {
      customerId: e.customerId,
      eventId: e.id,
      name: e.name,
      ts: e.ts,
      receivedAt: e.receivedAt,
      workflowId: run.workflowId,
      properties: e.properties,
    };
    const size = JSON.stringify(row).length;
    if (bytes + size > MAX_RECORD_BYTES) await flush();
    chunk.push(row);
    bytes += size;
  }
  await flush();
}

/** One event through the matcher: returns its matches (handled by the caller, in order). */
function ingest(run: JourneyRun, e: EventSignal): MatchOutput[] {
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
  const matches: MatchOutput[] = [];
  let duplicate = false;
  for (const o of outputs) {
    if (o.type === 'match') matches.push(o);
    else if (o.type === 'late') state.counters.late += 1;
    else if (o.type === 'duplicate' && o.eventId === e.id) duplicate = true;
  }
  if (duplicate) {
    state.counters.duplicates += 1;
    return matches;
  }
  state.counters.events += 1;
  state.lastEventAt = e.receivedAt;
  state.recent.push({ id: e.id, name: e.name, occurredAt: iso(e.ts) });
  cap(state.recent, RECENT_LIMIT);
  return matches;
}

/** Deadlines of the matcher (absences, inactivity, buffered releases) due by `now`. */
export function advanceDeadlines(run: JourneyRun, now: number): Promise<void> | undefined {
  const wake = run.engine.nextWakeup();
  if (wake === null || wake > now) return undefined;
  return handleMatches(
    run,
    run.engine.advanceTo(now).filter((o) => o.type === 'match'),
  );
}
