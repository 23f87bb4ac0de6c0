// The host's loop for date and schedule triggers (docs/triggers.md §3.12), sandbox-safe: which
// triggers need their next instant computed, and arming what the Node side computed. The journey
// computes in a local activity between the two; `triggers replay` calls the Node side directly.
import type { CalendarPattern } from './calendar.schema';
import type { Engine } from './engine';
import type { Trigger } from './trigger.schema';

/** One instant to compute: the first of `pattern` strictly after `after`. */
export type ArmRequest = { triggerId: string; pattern: CalendarPattern; after: number };
/** A computed instant (null with a note: missing or unparsable date, passed...). */
export type Arming = { triggerId: string; at: number | null; note?: string };

function isCalendar(p: Trigger['pattern']): p is CalendarPattern {
  return p.kind === 'date' || p.kind === 'schedule';
}

/**
 * The requests for the triggers that need arming (never armed, or just fired), or for every date
 * and schedule trigger when `all` (the profile or its zone changed). Each asks for the first
 * instant after `now` and after the trigger's last firing, so no instant fires twice.
 */
export function armRequests(
  engine: Engine,
  triggers: readonly Trigger[],
  now: number,
  all: boolean,
): ArmRequest[] {
  // Called on every pass of every journey: nothing is built unless a trigger needs arming.
  const due = engine.calendars().filter((c) => all || c.needsArming);
  if (due.length === 0) return [];
  const out: ArmRequest[] = [];
  for (const c of due) {
    const pattern = triggers.find((t) => t.id === c.triggerId)?.pattern;
    if (!pattern || !isCalendar(pattern)) continue;
    out.push({ triggerId: c.triggerId, pattern, after: Math.max(now, c.lastAt ?? now) });
  }
  return out;
}

/** Arms the computed instants; returns whether any instant was armed. */
export function applyArmings(engine: Engine, armings: readonly Arming[]): boolean {
  let armed = false;
  for (const a of armings) armed = engine.arm(a.triggerId, a.at, a.note) || armed;
  return armed;
}
