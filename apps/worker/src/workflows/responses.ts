// A match -> its response: escalation, experiment arm, timing (pure, or one local activity when
// the profile or time zone is needed), then at run time policy (a local activity) and channels.
import {
  parseDuration,
  type Delay,
  type MatchEvent,
  type MatchOutput,
  type Response,
} from '@kairos/triggers';
import { assignVariant, atomMatches, cap, iso } from './journey-helpers';
import { decideMatch } from './journey-activities';
import type { JourneyRun } from './journey-run';
import type { PendingResponse } from './journey-state';
import { startEscalation } from './escalations';

/** `strategy` as written, or `fallback` when only `fallbackAfter` is given. */
export function strategyOf(r: Response): 'first-available' | 'fallback' {
  return r.channels.strategy ?? (r.channels.fallbackAfter !== undefined ? 'fallback' : 'first-available');
}

/** Handles one output match of the matcher: records it and, when its trigger has a response, schedules it. */
export async function onMatch(run: JourneyRun, m: MatchOutput): Promise<void> {
  const attribution = { matchId: m.matchId, triggerId: m.triggerId, triggerVersion: m.version };
  if (m.status === 'suppressed') {
    run.remember({
      ...pick(m),
      at: iso(m.matchedAt),
      status: 'suppressed',
      reason: m.reason ?? 'suppressed',
    });
    run.attribute({ ...attribution, kind: 'suppressed', reason: m.reason ?? null, at: m.matchedAt });
    return;
  }
  run.state.lastTrigger = m.triggerId;
  run.attribute({ ...attribution, kind: 'fired', at: m.matchedAt, details: { kind: m.kind, key: m.key } });
  const response = run.trigger(m.triggerId)?.response;
  if (!response) {
    run.remember({ ...pick(m), at: iso(m.matchedAt), status: 'fired', reason: 'no response defined' });
    return;
  }
  await schedule(run, m, response);
}

const pick = (m: MatchOutput) => ({ matchId: m.matchId, triggerId: m.triggerId });

/** Escalation, experiment arm and send time of a fired match; the response then waits in `pending`. */
async function schedule(run: JourneyRun, m: MatchOutput, response: Response): Promise<void> {
  const store = run.state.store;
  const bindings: Record<string, MatchEvent[]> = {};
  for (const [name, ids] of Object.entries(m.bindings))
    bindings[name] = ids.map((id) => store.find((e) => e.id === id)).filter((e) => e !== undefined);
  const lastId = m.eventIds[m.eventIds.length - 1];
  const last = lastId === undefined ? undefined : store.find((e) => e.id === lastId);
  const assignment = assignVariant(run.customerId, m.triggerId, response);
  const delay: Delay =
    assignment.kind === 'variant' ? assignment.delay : (response.delay ?? { type: 'none' });
  const zoned = assignment.kind !== 'holdout' && (delay.type === 'localTime' || delay.type === 'optimal');
  const now = Date.now();
  const decision =
    response.escalate || zoned
      ? await decideMatch({
          customerId: run.customerId,
          profile: run.profileForDecision(),
          now,
          ...(response.escalate
            ? {
                escalate: {
                  when: response.escalate.when,
                  event: { name: last?.name ?? '', properties: last?.properties ?? {} },
                },
              }
            : {}),
          ...(zoned ? { delay } : {}),
          engagements: run.state.engagements,
        })
      : null;
  run.learnProfile(decision?.profile);
  if (decision?.escalate && response.escalate) {
    const { to, then, sla } = response.escalate;
    await startEscalation(run, {
      ...pick(m),
      version: m.version,
      level: 1,
      target: to,
      then: then ?? null,
      slaMs: parseDuration(sla),
    });
  }
  const attribution = { matchId: m.matchId, triggerId: m.triggerId, triggerVersion: m.version };
  if (assignment.kind === 'holdout') {
    run.attribute({ ...attribution, kind: 'holdout', at: m.matchedAt });
    run.remember({ ...pick(m), at: iso(m.matchedAt), status: 'suppressed', reason: 'holdout' });
    return;
  }
  const variant = assignment.kind === 'variant' ? assignment.id : null;
  if (variant !== null) run.attribute({ ...attribution, kind: 'exposure', variant, at: m.matchedAt });
  const runAt =
    delay.type === 'none'
      ? now
      : delay.type === 'fixed'
        ? now + parseDuration(delay.duration)
        : (decision?.runAt ?? now);
  run.state.pending.push({
    ...pick(m),
    version: m.version,
    priority: m.priority,
    matchedAt: m.matchedAt,
    response,
    bindings,
    variant,
    state: 'scheduled',
    runAt,
    channelIndex: 0,
    deadline: delay.type === 'optimal' ? now + parseDuration(delay.within) : null,
    deliveryId: null,
  });
}

/** Ends a pending response without (another) send: recorded in history and, for `kind`, attributed. */
export function finish(
  run: JourneyRun,
  p: PendingResponse,
  status: string,
  reason: string | undefined,
  kind: 'cancelled' | 'suppressed' | 'failed' | 'exit' | null,
): void {
  const pending = run.state.pending;
  const i = pending.indexOf(p);
  if (i >= 0) pending.splice(i, 1);
  run.remember({ ...pickP(p), at: iso(Date.now()), status, ...(reason ? { reason } : {}) });
  if (kind)
    run.attribute({
      matchId: p.matchId,
      triggerId: p.triggerId,
      triggerVersion: p.version,
      kind,
      reason: reason ?? null,
      variant: p.variant,
      at: Date.now(),
    });
}

const pickP = (p: PendingResponse) => ({ matchId: p.matchId, triggerId: p.triggerId });

/** `exitOn` events cancel the responses of matches that happened before them. */
export function cancelOnEvent(run: JourneyRun, e: MatchEvent): void {
  for (const p of [...run.state.pending]) {
    const hit = p.response.exitOn?.find((a) => atomMatches(a, e));
    if (hit && e.receivedAt >= p.matchedAt) finish(run, p, 'cancelled', `exitOn:${e.name}`, 'cancelled');
  }
}

/** API exits cancel every pending response. */
export function applyExits(run: JourneyRun): void {
  for (const x of run.state.exits.splice(0))
    for (const p of [...run.state.pending]) finish(run, p, 'cancelled', `exit: ${x.reason}`, 'exit');
}

const ENGAGEMENT_CAPACITY = 50;

/**
 * Feedback on deliveries: opens and clicks teach the best hour and end a fallback's wait (as do
 * unsubscribes and complaints); a bounce runs the fallback now.
 */
export function applyFeedback(run: JourneyRun): void {
  const { pending, engagements } = run.state;
  for (const f of run.state.feedbacks.splice(0)) {
    const engaged = f.type === 'opened' || f.type === 'clicked';
    if (engaged) {
      engagements.push(f.at);
      cap(engagements, ENGAGEMENT_CAPACITY);
    }
    const p = pending.find((x) => x.deliveryId === f.deliveryId && x.state === 'awaitingEngagement');
    if (!p) continue;
    if (engaged || f.type === 'unsubscribed' || f.type === 'complained') {
      pending.splice(pending.indexOf(p), 1);
      if (engaged)
        run.attribute({
          matchId: p.matchId,
          triggerId: p.triggerId,
          triggerVersion: p.version,
          kind: 'engaged',
          reason: f.type,
          at: f.at,
        });
    } else if (f.type === 'bounced') p.runAt = Date.now();
  }
}
