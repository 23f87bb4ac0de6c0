// A match -> its response: escalation, experiment arm and send time (pure, or one local activity
// when the profile or time zone is needed), then it waits in `pending` until due (delivery.ts).
import { log } from '@temporalio/workflow';
import {
  parseDuration,
  type Delay,
  type MatchEvent,
  type MatchOutput,
  type Response,
} from '@kairos/triggers';
import type { MatchDecision } from '../activities';
import { requeueAttribution, takeAttribution } from './attribution';
import { startEscalation } from './escalations';
import { assignVariant, atomMatches, cap, iso, type Assignment } from './journey-helpers';
import { decideMatch } from './journey-activities';
import type { JourneyRun } from './journey-run';
import type { PendingResponse } from './journey-state';

/** `strategy` as written, or `fallback` when only `fallbackAfter` is given. */
export function strategyOf(r: Response): 'first-available' | 'fallback' {
  return r.channels.strategy ?? (r.channels.fallbackAfter !== undefined ? 'fallback' : 'first-available');
}

const ids = (m: { matchId: string; triggerId: string }) => ({ matchId: m.matchId, triggerId: m.triggerId });
const attributionOf = (m: MatchOutput) => ({ ...ids(m), triggerVersion: m.version });

/**
 * Handles one output match of the matcher: records it and, when its trigger has a response,
 * schedules it. A promise only when the response needs a decision from the profile.
 */
export function onMatch(run: JourneyRun, m: MatchOutput): Promise<void> | undefined {
  if (m.status === 'suppressed') {
    run.remember({ ...ids(m), at: iso(m.matchedAt), status: 'suppressed', reason: m.reason ?? 'suppressed' });
    run.attribute({ ...attributionOf(m), kind: 'suppressed', reason: m.reason ?? null, at: m.matchedAt });
    return undefined;
  }
  run.state.lastTrigger = m.triggerId;
  run.attribute({
    ...attributionOf(m),
    kind: 'fired',
    at: m.matchedAt,
    details: { kind: m.kind, key: m.key },
  });
  const response = run.trigger(m.triggerId)?.response;
  if (!response) {
    run.remember({ ...ids(m), at: iso(m.matchedAt), status: 'fired', reason: 'no response defined' });
    return undefined;
  }
  const assignment = assignVariant(run.customerId, m.triggerId, response);
  const delay: Delay =
    assignment.kind === 'variant' ? assignment.delay : (response.delay ?? { type: 'none' });
  const now = Date.now();
  const zoned = assignment.kind !== 'holdout' && (delay.type === 'localTime' || delay.type === 'optimal');
  const plan: Scheduling = { m, response, assignment, delay, now };
  if (!response.escalate && !zoned) return void schedule(run, plan, { escalate: false, runAt: null });
  return decide(run, plan, zoned).then((decision) => schedule(run, plan, decision));
}

type Scheduling = { m: MatchOutput; response: Response; assignment: Assignment; delay: Delay; now: number };

/** Escalation, experiment arm and send time of a fired match; the response then waits in `pending`. */
function schedule(run: JourneyRun, s: Scheduling, decision: Pick<MatchDecision, 'escalate' | 'runAt'>): void {
  const { m, response, assignment, delay, now } = s;
  if (decision.escalate && response.escalate) {
    const { to, then, sla } = response.escalate;
    startEscalation(run, {
      ...ids(m),
      version: m.version,
      level: 1,
      target: to,
      then: then ?? null,
      slaMs: parseDuration(sla),
    });
  }
  if (assignment.kind === 'holdout') {
    run.attribute({ ...attributionOf(m), kind: 'holdout', at: m.matchedAt });
    run.remember({ ...ids(m), at: iso(m.matchedAt), status: 'suppressed', reason: 'holdout' });
    return;
  }
  const variant = assignment.kind === 'variant' ? assignment.id : null;
  if (variant !== null) run.attribute({ ...attributionOf(m), kind: 'exposure', variant, at: m.matchedAt });
  const runAt =
    delay.type === 'none'
      ? now
      : delay.type === 'fixed'
        ? now + parseDuration(delay.duration)
        : (decision.runAt ?? now);
  run.state.pending.push({
    ...ids(m),
    version: m.version,
    priority: m.priority,
    matchedAt: m.matchedAt,
    response,
    bindings: bindingsOf(run.state.store, m),
    variant,
    state: 'scheduled',
    runAt,
    channelIndex: 0,
    deadline: delay.type === 'optimal' ? now + parseDuration(delay.within) : null,
    deliveryId: null,
  });
}

/**
 * The decisions a match needs from the profile or the time zone (escalate.when, localTime and
 * optimal delays), in one local activity; most matches need none. Should the profile stay
 * unreadable through the activity's retries (about an hour), the match does not escalate and
 * sends without waiting for a local time: logged, never a failed journey.
 */
async function decide(
  run: JourneyRun,
  { m, response, delay, now }: Scheduling,
  zoned: boolean,
): Promise<Pick<MatchDecision, 'escalate' | 'runAt'>> {
  const lastId = m.eventIds[m.eventIds.length - 1];
  const last = run.state.store.find((e) => e.id === lastId);
  const attribution = takeAttribution(run);
  try {
    const decision = await decideMatch({
      customerId: run.customerId,
      profile: run.profileForDecision(),
      attribution,
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
    });
    run.learnProfile(decision.profile);
    return decision;
  } catch (err) {
    requeueAttribution(run, attribution);
    log.error('match decided without the profile', { matchId: m.matchId, error: String(err) });
    return { escalate: false, runAt: null };
  }
}

function bindingsOf(store: MatchEvent[], m: MatchOutput): Record<string, MatchEvent[]> {
  const bindings: Record<string, MatchEvent[]> = {};
  for (const [name, eventIds] of Object.entries(m.bindings))
    bindings[name] = eventIds.map((id) => store.find((e) => e.id === id)).filter((e) => e !== undefined);
  return bindings;
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
  run.remember({ ...ids(p), at: iso(Date.now()), status, ...(reason ? { reason } : {}) });
  if (kind)
    run.attribute({
      ...ids(p),
      triggerVersion: p.version,
      kind,
      reason: reason ?? null,
      variant: p.variant,
      at: Date.now(),
    });
}

/** `exitOn` events cancel the responses of matches that happened before them (a send in flight goes on). */
export function cancelOnEvent(run: JourneyRun, e: MatchEvent): void {
  for (const p of [...run.state.pending]) {
    if (p.state === 'sending') continue;
    const hit = p.response.exitOn?.find((a) => atomMatches(a, e));
    if (hit && e.receivedAt >= p.matchedAt) finish(run, p, 'cancelled', `exitOn:${e.name}`, 'cancelled');
  }
}

/** API exits cancel every pending response (a send in flight goes on). */
export function applyExits(run: JourneyRun): void {
  for (const x of run.state.exits.splice(0))
    for (const p of [...run.state.pending])
      if (p.state !== 'sending') finish(run, p, 'cancelled', `exit: ${x.reason}`, 'exit');
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
        run.attribute({ ...ids(p), triggerVersion: p.version, kind: 'engaged', reason: f.type, at: f.at });
    } else if (f.type === 'bounced') p.runAt = Date.now();
  }
}
