// The matcher's side of date and schedule triggers (docs/triggers.md §3.12-§3.13): the host arms
// the next instant (computed in Node from the profile, so no time-zone rule runs in the sandbox);
// the matcher keeps it in the saved state, fires it through its deadlines like an absence, and
// never fires one instant twice.
import type { CTrigger } from './compile';
import type { CalendarState, CalendarView, MatchOutput, TriggerState } from './engine.types';
import { makeMatch, type MatchShapes } from './match-output';

/** Longest note kept (the host's reason for not arming: missing date, unparsable value...). */
const MAX_NOTE = 200;

/**
 * Arms (or disarms, `at` null) the trigger's next instant. Refused, and noted as `passed`, when
 * `at` is not after the last instant fired or lies before the clock: an instant fires at most once.
 * Returns the timer to remove and the one to add.
 */
export function armCalendar(
  t: TriggerState,
  at: number | null,
  note: string | undefined,
  clock: number | null,
): { removed: number | null; added: number | null } {
  const c: CalendarState = t.c ?? { a: null };
  t.c = c;
  const removed = c.a;
  c.a = null;
  delete c.s;
  if (at !== null && ((c.l !== undefined && at <= c.l) || (clock !== null && at < clock))) {
    c.s = 'passed';
    return { removed, added: null };
  }
  if (note !== undefined && note !== '') c.s = note.slice(0, MAX_NOTE);
  c.a = at;
  if (removed !== null && removed === at) return { removed: null, added: null };
  return { removed, added: at };
}

/** Remembers the time of an event matching the schedule's `unless` atom (only the latest counts). */
export function noteUnless(t: TriggerState, time: number): void {
  const c: CalendarState = t.c ?? { a: null };
  t.c = c;
  c.u = c.u === undefined ? time : Math.max(c.u, time);
}

/**
 * The armed instant `d` is due: the match (status `fired` until arbitration) or, when an
 * `unless` event lies within the window before `d`, a suppressed one (reason `unless`). Null when
 * `d` is no longer the armed instant. Either way the trigger waits for the host to arm the next.
 */
export function fireCalendar(
  T: CTrigger,
  t: TriggerState,
  shapes: MatchShapes,
  d: number,
): { m: MatchOutput; skipped: boolean } | null {
  const c = t.c;
  const cal = T.calendar;
  if (!c || !cal || c.a !== d) return null;
  c.a = null;
  c.l = d;
  const m = makeMatch(T, shapes, '', [], 'time', d, d);
  const skipped = cal.unlessTa >= 0 && c.u !== undefined && d < c.u + cal.unlessWithin;
  if (skipped) {
    m.status = 'suppressed';
    m.reason = 'unless';
  }
  return { m, skipped };
}

/** Every date/schedule trigger with its armed instant, last firing and note, by trigger id. */
export function calendarViews(
  triggers: readonly CTrigger[],
  states: readonly TriggerState[],
): CalendarView[] {
  const out: CalendarView[] = [];
  triggers.forEach((T, ti) => {
    if (T.calendar === null) return;
    const c = states[ti]?.c;
    out.push({
      triggerId: T.id,
      kind: T.calendar.kind,
      at: c?.a ?? null,
      lastAt: c?.l ?? null,
      ...(c?.s !== undefined ? { note: c.s } : {}),
      needsArming: c === undefined || (c.a === null && c.s === undefined),
    });
  });
  return out;
}
