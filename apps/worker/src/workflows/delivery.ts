// A due response: policy decides (a local activity: consent, quiet hours, minimum gap, caps),
// then the channel activity sends; a fallback channel waits for engagement or takes over on failure.
import { isCancellation, log } from '@temporalio/workflow';
import { parseDuration, type Channel } from '@kairos/triggers';
import { convertOnSend } from './conversions';
import { iso } from './journey-helpers';
import { planSend, sendMessage } from './journey-activities';
import type { JourneyRun } from './journey-run';
import type { PendingResponse } from './journey-state';
import { finish, strategyOf } from './responses';

const SENT_CAPACITY = 200;
const SENT_HORIZON_MS = 8 * 86_400_000;

/** Runs the responses due now, highest priority first so the minimum gap favours it. */
export async function runDueResponses(run: JourneyRun, now: number): Promise<void> {
  const due = run.state.pending
    .filter((p) => p.runAt <= now)
    .sort((a, b) => b.priority - a.priority || a.runAt - b.runAt || (a.matchId < b.matchId ? -1 : 1));
  for (const p of due) if (run.state.pending.includes(p)) await runDue(run, p);
}

/** Plans and sends one response, moving to the next channel in order when a send fails. */
async function runDue(run: JourneyRun, p: PendingResponse): Promise<void> {
  const order = p.response.channels.order;
  const fallback = strategyOf(p.response) === 'fallback';
  for (;;) {
    const channels = fallback ? order.slice(p.channelIndex) : order;
    if (channels.length === 0) return void run.state.pending.splice(run.state.pending.indexOf(p), 1);
    const now = Date.now();
    const decision = await planSend({
      customerId: run.customerId,
      profile: run.profileForDecision(),
      now,
      channels,
      priority: p.priority,
      policy: run.set.policy,
      respectQuietHours: (p.response.policy?.quietHours ?? 'respect') === 'respect',
      respectCaps: (p.response.policy?.caps ?? 'respect') === 'respect',
      sent: run.state.sent,
      deadline: p.deadline,
    });
    run.learnProfile(decision.profile);
    const plan = decision.plan;
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
      if (p.state === 'awaitingEngagement')
        return finish(run, p, 'sent', `no fallback: ${plan.reason}`, null);
      return finish(run, p, 'suppressed', plan.reason, 'suppressed');
    }
    if (await send(run, p, plan.channel, now, fallback)) return;
  }
}

const attributionOf = (p: PendingResponse) => ({
  matchId: p.matchId,
  triggerId: p.triggerId,
  triggerVersion: p.version,
});

/** One send; true when the response is done with (sent, or failed without a channel left). */
async function send(
  run: JourneyRun,
  p: PendingResponse,
  channel: Channel,
  now: number,
  fallback: boolean,
): Promise<boolean> {
  try {
    const r = await sendMessage({
      matchId: p.matchId,
      customerId: run.customerId,
      triggerId: p.triggerId,
      triggerVersion: p.version,
      channel,
      templateId: p.response.template,
      variant: p.variant,
      bindings: p.bindings,
      at: now,
    });
    sent(run, p, channel, r.deliveryId, now, fallback);
    return true;
  } catch (err) {
    if (isCancellation(err)) throw err;
    return failed(run, p, channel, err, now, fallback);
  }
}

function sent(
  run: JourneyRun,
  p: PendingResponse,
  channel: Channel,
  deliveryId: string,
  now: number,
  fallback: boolean,
): void {
  const list = run.state.sent;
  list.push({
    at: now,
    channel,
    triggerId: p.triggerId,
    priority: p.priority,
    deliveryId,
    matchId: p.matchId,
  });
  while (list.length > SENT_CAPACITY || (list[0] !== undefined && list[0].at < now - SENT_HORIZON_MS))
    list.shift();
  run.attribute({ ...attributionOf(p), kind: 'delivered', channel, deliveryId, variant: p.variant, at: now });
  run.remember({ matchId: p.matchId, triggerId: p.triggerId, at: iso(now), status: 'sent', channel });
  convertOnSend(run, p, now);
  const order = p.response.channels.order;
  const nextIndex = order.indexOf(channel) + 1;
  const after = p.response.channels.fallbackAfter;
  if (fallback && after !== undefined && nextIndex < order.length) {
    p.state = 'awaitingEngagement';
    p.channelIndex = nextIndex;
    p.deliveryId = deliveryId;
    p.runAt = now + parseDuration(after);
  } else {
    run.state.pending.splice(run.state.pending.indexOf(p), 1);
  }
}

function failed(
  run: JourneyRun,
  p: PendingResponse,
  channel: Channel,
  err: unknown,
  now: number,
  fallback: boolean,
): boolean {
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
    return true;
  }
  p.channelIndex = nextIndex;
  return false;
}
