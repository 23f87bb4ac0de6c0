import type { Engine } from './engine';
import type { MatchEvent, Output } from './engine.types';

/** An output with the clock at which it was emitted. */
export type EmittedOutput = { output: Output; emittedAt: number };

/**
 * Drives one customer's engine exactly as the journey workflow does: before each event the
 * clock advances through every wakeup earlier than the event's `receivedAt` (the workflow's
 * timer), then the event is ingested; after the last event the clock advances through every
 * wakeup up to `until` (default: the last `receivedAt`).
 */
export function replayCustomer(
  engine: Engine,
  events: readonly MatchEvent[],
  until?: number,
): EmittedOutput[] {
  const out: EmittedOutput[] = [];
  let clock = -Infinity;
  const advanceThrough = (limit: number, inclusive: boolean) => {
    for (;;) {
      const w = engine.nextWakeup();
      if (w === null || (inclusive ? w > limit : w >= limit)) return;
      clock = Math.max(clock, w);
      for (const o of engine.advanceTo(w)) out.push({ output: o, emittedAt: clock });
      // Defensive: a wakeup that advanceTo did not consume would loop forever.
      if (engine.nextWakeup() === w) return;
    }
  };
  for (const ev of events) {
    advanceThrough(ev.receivedAt, false);
    clock = Math.max(clock, ev.receivedAt);
    for (const o of engine.ingest(ev)) out.push({ output: o, emittedAt: clock });
  }
  const last = events.length > 0 ? (events[events.length - 1] as MatchEvent).receivedAt : -Infinity;
  const end = until ?? last;
  if (Number.isFinite(end)) advanceThrough(end, true);
  return out;
}
