import type { Engine } from './engine';
import type { MatchEvent, Output } from './engine.types';

/** An output with the clock at which it was emitted. */
export type EmittedOutput = { output: Output; emittedAt: number };

/**
 * Date and schedule triggers (docs/triggers.md §3.12): `arm(now)` computes and arms the next
 * instants of the triggers that need it; `start` is when the journey starts when the customer
 * has no events (default: the first event's `receivedAt`).
 */
export type ReplayOptions = { arm?: (now: number) => void; start?: number };

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
  options: ReplayOptions = {},
): EmittedOutput[] {
  const out: EmittedOutput[] = [];
  let clock = -Infinity;
  // As the journey does after each step: arm what a firing (or the start) left unarmed.
  const rearm = () => {
    if (options.arm && Number.isFinite(clock) && engine.calendars().some((c) => c.needsArming))
      options.arm(clock);
  };
  const start = options.start ?? events[0]?.receivedAt;
  if (start !== undefined) {
    clock = start;
    rearm();
  }
  const advanceThrough = (limit: number, inclusive: boolean) => {
    for (;;) {
      rearm();
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
    rearm();
  }
  const last = events.length > 0 ? (events[events.length - 1] as MatchEvent).receivedAt : -Infinity;
  const end = until ?? last;
  if (Number.isFinite(end)) advanceThrough(end, true);
  return out;
}
