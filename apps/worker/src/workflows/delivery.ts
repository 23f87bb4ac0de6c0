// A due response: policy decides (consent, quiet hours, minimum gap, caps: a local activity, or
// pure code for webhooks, which no policy reaches), then the send runs beside the loop; a fallback
// channel waits for engagement, or takes over when a send fails.
import { ActivityFailure, ApplicationFailure, log } from '@temporalio/workflow';
import { parseDuration, type Channel } from '@kairos/triggers';
import type { SendMessageInput, SendMessageResult } from '../activities';
import type { DeliveryPlan, SentItem } from '../policy/send-plan';
import { requeueAttribution, takeAttribution } from './attribution';
import { convertOnSend } from './conversions';
import { iso } from './journey-helpers';
import { planSend, sendMessage, sendMessageNow } from './journey-activities';
import type { JourneyRun } from './journey-run';
import type { PendingResponse } from './journey-state';
import { finish, strategyOf } from './responses';

const SENT_CAPACITY = 200;
const SENT_HORIZON_MS = 8 * 86_400_000;
/** A response whose policy could not be decided (profile unreadable for about an hour) tries again after this. */
const UNDECIDED_RETRY_MS = 15 * 60_000;

/** Whether a response is due by `now` (a send in flight is not). */
export function hasDueResponse(run: JourneyRun, now: number): boolean {
  return run.state.pending.some((p) => p.state !== 'sending' && p.runAt <= now);
}

/** Runs the responses due now, highest priority first so the minimum gap favours it. */
export async function runDueResponses(run: JourneyRun, now: number): Promise<void> {
  const due = run.state.pending
    .filter((p) => p.state !== 'sending' && p.runAt <= now)
    .sort((a, b) => b.priority - a.priority || a.runAt - b.runAt || (a.matchId < b.matchId ? -1 : 1));
  for (const p of due) {
    if (!run.state.pending.includes(p) || p.state === 'sending') continue;
    const deciding = runDue(run, p);
    if (deciding) await deciding;
  }
}

/** Plans and starts one send; a promise only when the plan needs the profile (a local activity). */
function runDue(run: JourneyRun, p: PendingResponse): Promise<void> | undefined {
  const order = p.response.channels.order;
  const fallback = strategyOf(p.response) === 'fallback';
  const channels = fallback ? order.slice(p.channelIndex) : order;
  if (channels.length === 0) return void run.state.pending.splice(run.state.pending.indexOf(p), 1);
  const now = Date.now();
  const known = webhookPlan(run, p, channels);
  if (known) return void follow(run, p, known, now, fallback);
  return decidePlan(run, p, channels, now).then((plan) => {
    if (plan) follow(run, p, plan, now, fallback);
  });
}

function follow(
  run: JourneyRun,
  p: PendingResponse,
  plan: DeliveryPlan,
  now: number,
  fallback: boolean,
): void {
  if (plan.action === 'defer') {
    p.runAt = plan.until;
    run.attribute({
      ...attributionOf(p),
      kind: 'deferred',
      reason: plan.reason,
      at: now,
      details: { until: iso(plan.until) },
    });
    return;
  }
  if (plan.action === 'drop') {
    if (p.state === 'awaitingEngagement') return finish(run, p, 'sent', `no fallback: ${plan.reason}`, null);
    return finish(run, p, 'suppressed', plan.reason, 'suppressed');
  }
  startSend(run, p, plan.channel, now, fallback);
}

const attributionOf = (p: PendingResponse) => ({
  matchId: p.matchId,
  triggerId: p.triggerId,
  triggerVersion: p.version,
});

/**
 * Webhooks reach systems, not people: consent, quiet hours and the minimum gap never apply, so
 * unless a webhook cap counts, the plan is known without the profile (and without an activity).
 */
function webhookPlan(run: JourneyRun, p: PendingResponse, channels: Channel[]): DeliveryPlan | null {
  if (!channels.every((c) => c === 'webhook')) return null;
  const respectCaps = (p.response.policy?.caps ?? 'respect') === 'respect';
  if (respectCaps && run.set.policy.caps.webhook !== undefined) return null;
  return { action: 'send', channel: 'webhook', skipped: [] };
}

/** The policy decision (a local activity); null when it could not be made: the response tries again later. */
async function decidePlan(
  run: JourneyRun,
  p: PendingResponse,
  channels: Channel[],
  now: number,
): Promise<DeliveryPlan | null> {
  const attribution = takeAttribution(run);
  try {
    const decision = await planSend({
      customerId: run.customerId,
      profile: run.profileForDecision(),
      attribution,
      now,
      channels,
      priority: p.priority,
      policy: run.set.policy,
      respectQuietHours: (p.response.policy?.quietHours ?? 'respect') === 'respect',
      respectCaps: (p.response.policy?.caps ?? 'respect') === 'respect',
      sent: sentAndSending(run),
      deadline: p.deadline,
    });
    run.learnProfile(decision.profile);
    return decision.plan;
  } catch (err) {
    requeueAttribution(run, attribution);
    log.warn('send policy undecided; the response tries again later', {
      matchId: p.matchId,
      error: String(err),
    });
    p.runAt = now + UNDECIDED_RETRY_MS;
    return null;
  }
}

/** Messages sent, and sends in flight: the minimum gap and caps count both. */
function sentAndSending(run: JourneyRun): SentItem[] {
  const sending = run.state.pending.flatMap((p) =>
    p.sending
      ? [{ at: p.sending.at, channel: p.sending.channel, triggerId: p.triggerId, priority: p.priority }]
      : [],
  );
  return [...run.state.sent, ...sending];
}

/** Starts the send beside the loop; its outcome is applied by the loop when it settles. */
function startSend(
  run: JourneyRun,
  p: PendingResponse,
  channel: Channel,
  now: number,
  fallback: boolean,
): void {
  p.sending = {
    channel,
    at: now,
    was: p.state === 'awaitingEngagement' ? 'awaitingEngagement' : 'scheduled',
  };
  p.state = 'sending';
  const attribution = takeAttribution(run);
  const input: SendMessageInput = {
    matchId: p.matchId,
    customerId: run.customerId,
    triggerId: p.triggerId,
    triggerVersion: p.version,
    channel,
    templateId: p.response.template,
    variant: p.variant,
    bindings: p.bindings,
    at: now,
    attribution,
  };
  run.inFlight.track(
    sendNowOrLater(input),
    (r) => sent(run, p, channel, r.deliveryId, now, fallback),
    (err) => {
      requeueAttribution(run, attribution);
      failed(run, p, channel, err, fallback);
    },
  );
}

function sent(
  run: JourneyRun,
  p: PendingResponse,
  channel: Channel,
  deliveryId: string,
  at: number,
  fallback: boolean,
): void {
  delete p.sending;
  const list = run.state.sent;
  list.push({ at, channel, triggerId: p.triggerId, priority: p.priority, deliveryId, matchId: p.matchId });
  while (list.length > SENT_CAPACITY || (list[0] !== undefined && list[0].at < at - SENT_HORIZON_MS))
    list.shift();
  run.remember({ matchId: p.matchId, triggerId: p.triggerId, at: iso(at), status: 'sent', channel });
  convertOnSend(run, p, at);
  const order = p.response.channels.order;
  const nextIndex = order.indexOf(channel) + 1;
  const after = p.response.channels.fallbackAfter;
  if (fallback && after !== undefined && nextIndex < order.length) {
    p.state = 'awaitingEngagement';
    p.channelIndex = nextIndex;
    p.deliveryId = deliveryId;
    p.runAt = at + parseDuration(after);
  } else {
    run.state.pending.splice(run.state.pending.indexOf(p), 1);
  }
}

/** A send that failed after its retries: recorded; the next channel in order runs now, if any. */
function failed(
  run: JourneyRun,
  p: PendingResponse,
  channel: Channel,
  err: unknown,
  fallback: boolean,
): void {
  p.state = p.sending?.was ?? 'scheduled';
  delete p.sending;
  const now = Date.now();
  log.warn('delivery failed', { matchId: p.matchId, channel, error: String(err) });
  run.attribute({ ...attributionOf(p), kind: 'failed', channel, reason: String(err).slice(0, 500), at: now });
  run.remember({
    matchId: p.matchId,
    triggerId: p.triggerId,
    at: iso(now),
    status: 'failed',
    reason: String(err).slice(0, 200),
    channel,
  });
  const nextIndex = p.response.channels.order.indexOf(channel) + 1;
  if (!fallback || nextIndex >= p.response.channels.order.length) {
    run.state.pending.splice(run.state.pending.indexOf(p), 1);
    return;
  }
  p.channelIndex = nextIndex;
  p.runAt = now;
}

/**
 * A send as a local activity, then as an activity with its hour of retries if that failed for a
 * reason a retry may fix. Idempotent by delivery id: the activity finds the outbox row of an
 * attempt that got through.
 */
async function sendNowOrLater(input: SendMessageInput): Promise<SendMessageResult> {
  try {
    return await sendMessageNow(input);
  } catch (err) {
    if (isPermanent(err)) throw err;
    return sendMessage(input);
  }
}

/** A failure no retry can fix (missing template, provider rejected the message): no activity retry either. */
function isPermanent(err: unknown): boolean {
  return (
    err instanceof ActivityFailure &&
    err.cause instanceof ApplicationFailure &&
    err.cause.nonRetryable === true
  );
}
