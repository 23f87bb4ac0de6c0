// Conversions: after a send, the response's conversion event within its window is attributed to it.
import { parseDuration, readPath, type MatchEvent } from '@kairos/triggers';
import { atomMatches } from './journey-helpers';
import type { JourneyRun } from './journey-run';
import type { PendingResponse } from './journey-state';

/** Starts watching for the conversion event of a response just sent. */
export function convertOnSend(run: JourneyRun, p: PendingResponse, sentAt: number): void {
  const conv = p.response.conversion;
  if (!conv) return;
  run.state.conversions.push({
    matchId: p.matchId,
    triggerId: p.triggerId,
    version: p.version,
    until: sentAt + parseDuration(conv.window),
    event: conv.event,
    ...(conv.valuePath ? { valuePath: conv.valuePath } : {}),
  });
}

/** Attributes an event to every watching response it converts (each converts once). */
export function convertOn(run: JourneyRun, e: MatchEvent, now: number): void {
  const conversions = run.state.conversions;
  for (const c of [...conversions]) {
    if (now >= c.until) {
      conversions.splice(conversions.indexOf(c), 1);
      continue;
    }
    if (!atomMatches(c.event, e)) continue;
    conversions.splice(conversions.indexOf(c), 1);
    const value = c.valuePath === undefined ? undefined : readPath(e, c.valuePath);
    run.attribute({
      matchId: c.matchId,
      triggerId: c.triggerId,
      triggerVersion: c.version,
      kind: 'conversion',
      value: typeof value === 'number' ? value : null,
      at: e.receivedAt,
      details: { eventId: e.id },
    });
  }
}

/** Forgets watches whose window has passed. */
export function expireConversions(run: JourneyRun, now: number): void {
  const conversions = run.state.conversions;
  while (conversions.length > 0 && conversions[0] !== undefined && conversions[0].until <= now)
    conversions.shift();
}
