// The runtime form of a date or schedule pattern: the matcher only needs to know that the trigger
// fires at host-supplied instants, and which events can veto a schedule (`unless`).
import type { CalendarPattern } from './calendar.schema';
import { parseDuration } from './duration';
import type { Atom } from './trigger.schema';

export type CCalendar = {
  kind: 'date' | 'schedule';
  /** Trigger atom index of `unless` (-1 when none). */
  unlessTa: number;
  /** `unless.within` in ms (0 when none). */
  unlessWithin: number;
};

/** Compiles a calendar pattern; `atom` registers the `unless` atom with the trigger's builder. */
export function compileCalendar(p: CalendarPattern, atom: (a: Atom) => number): CCalendar {
  if (p.kind === 'date' || p.unless === undefined) return { kind: p.kind, unlessTa: -1, unlessWithin: 0 };
  const { within, ...unless } = p.unless;
  return { kind: 'schedule', unlessTa: atom(unless), unlessWithin: parseDuration(within) };
}
