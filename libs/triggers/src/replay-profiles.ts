// `triggers replay --profiles`: the customers' profiles that date and schedule triggers read
// (docs/triggers.md §4), and the arming callback that computes their instants as the journey's
// local activity does. Node side (the calendar arithmetic).
import { computeArmings } from './calendar/arming';
import { applyArmings, armRequests } from './calendar-arming';
import type { Engine } from './engine';
import type { Trigger } from './trigger.schema';

/** Profiles by customer id, the workspace's default zone, and the start of profile-only customers. */
export type ReplayCalendar = {
  profiles: Record<string, Record<string, unknown>>;
  timezone?: string;
  from?: number;
};

/** Parses `--profiles` JSON lines: one stored profile per line, `{customerId, timezone?, attributes?, ...}`. */
export function parseProfilesJsonl(text: string): {
  profiles: Record<string, Record<string, unknown>>;
  errors: string[];
} {
  const profiles: Record<string, Record<string, unknown>> = {};
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch (e) {
      errors.push(`line ${i + 1}: not valid JSON (${(e as Error).message})`);
      return;
    }
    const p = o as Record<string, unknown>;
    if (p === null || typeof p !== 'object' || Array.isArray(p) || typeof p.customerId !== 'string')
      errors.push(`line ${i + 1}: must be a profile object with a "customerId" string`);
    else profiles[p.customerId] = p;
  });
  return { profiles, errors };
}

/** The arming callback of one customer's replay: next instants from its profile (or none). */
export function replayArming(
  engine: Engine,
  triggers: readonly Trigger[],
  customerId: string,
  calendar: ReplayCalendar | undefined,
): (now: number) => void {
  const profile = calendar?.profiles[customerId] ?? { customerId };
  return (now) => {
    applyArmings(
      engine,
      computeArmings(armRequests(engine, triggers, now, false), profile, calendar?.timezone),
    );
  };
}
