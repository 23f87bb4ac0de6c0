// Timing and workspace-policy decisions. Pure functions of their input (plus Intl), run inside
// local activities so each decision is recorded in the journey's history.
import { parseDuration, type Channel, type Delay, type Policy } from '@kairos/triggers';
import { inWindow, localDate, localParts, nextLocalTime, safeZone } from './time-zone';

export type SendTimeInput = {
  now: number;
  timezone?: string | null;
  /** The delay of a response (docs/triggers.md §6.1), durations as written. */
  delay: Delay;
  /** Past opens and clicks of this customer (epoch ms), newest last. */
  engagements: number[];
};

export type SendTimeResult = {
  runAt: number;
  basis: 'none' | 'fixed' | 'localTime' | 'learned' | 'fallback';
  hour?: number;
  timezone: string;
};

/** Fewer engagements than this and the learned hour is not trusted: use the fallback. */
export const MIN_ENGAGEMENTS_FOR_LEARNING = 3;

/** The hour of day (in the customer's zone) with most opens/clicks; ties go to the earlier hour. */
export function bestHour(engagements: number[], tz: string): number | null {
  if (engagements.length < MIN_ENGAGEMENTS_FOR_LEARNING) return null;
  const counts = new Array<number>(24).fill(0);
  for (const at of engagements) counts[localParts(at, tz).hour]! += 1;
  let best = 0;
  for (let h = 1; h < 24; h++) if (counts[h]! > counts[best]!) best = h;
  return best;
}

/** When a response should run, from its delay and the customer's zone and habits. */
export function computeSendTime(input: SendTimeInput): SendTimeResult {
  const tz = safeZone(input.timezone);
  const d = input.delay;
  switch (d.type) {
    case 'none':
      return { runAt: input.now, basis: 'none', timezone: tz };
    case 'fixed':
      return { runAt: input.now + parseDuration(d.duration), basis: 'fixed', timezone: tz };
    case 'localTime':
      return { runAt: nextLocalTime(input.now, d.at, tz, d.days), basis: 'localTime', timezone: tz };
    case 'optimal': {
      const hour = bestHour(input.engagements, tz);
      if (hour !== null) {
        const at = nextLocalTime(input.now, `${String(hour).padStart(2, '0')}:00`, tz);
        if (at < input.now + parseDuration(d.within))
          return { runAt: at, basis: 'learned', hour, timezone: tz };
      }
      return { runAt: nextLocalTime(input.now, d.fallback, tz), basis: 'fallback', timezone: tz };
    }
  }
}

export type SentItem = { at: number; channel: Channel; triggerId: string; priority: number };

export type DeliveryPlanInput = {
  now: number;
  timezone?: string | null;
  /** Channels in the order to try (the response's order, from the current fallback position). */
  channels: Channel[];
  /** Channels the customer can receive (consent given and an address known). */
  reachable: Channel[];
  priority: number;
  /** The workspace policy (policy.json). */
  policy: Pick<Policy, 'quietHours' | 'caps' | 'minGap'>;
  /** The customer's own quiet hours override the workspace's. */
  customerQuietHours?: { start: string; end: string } | null;
  respectQuietHours: boolean;
  respectCaps: boolean;
  /** Messages already sent to this customer (the journey's communication history). */
  sent: SentItem[];
  /** A deferral past this instant drops the response instead. */
  deadline?: number | null;
};

export type DeliveryPlan =
  | { action: 'send'; channel: Channel; skipped: { channel: Channel; reason: string }[] }
  | { action: 'defer'; until: number; reason: 'quietHours' }
  | { action: 'drop'; reason: string; skipped: { channel: Channel; reason: string }[] };

/** Webhooks reach systems, not people: quiet hours and the minimum gap do not apply to them. */
const isPersonal = (c: Channel): boolean => c !== 'webhook';

/**
 * Applies workspace policy at the moment of sending: consent, quiet hours (defer to their end,
 * or drop past the deadline), the minimum gap between triggered messages (a strictly higher
 * priority than the last message's passes), and per-channel caps per calendar day in the
 * customer's zone (a capped channel falls through to the next one in order).
 */
export function planDelivery(input: DeliveryPlanInput): DeliveryPlan {
  const tz = safeZone(input.timezone);
  const skipped: { channel: Channel; reason: string }[] = [];
  const candidates = input.channels.filter((c) => {
    if (input.reachable.includes(c)) return true;
    skipped.push({ channel: c, reason: 'consent' });
    return false;
  });
  if (candidates.length === 0) return { action: 'drop', reason: 'consent', skipped };

  const quiet = input.customerQuietHours ?? input.policy.quietHours;
  if (input.respectQuietHours && candidates.some(isPersonal) && inWindow(input.now, quiet, tz)) {
    const until = nextLocalTime(input.now, quiet.end, tz);
    if (input.deadline != null && until > input.deadline)
      return { action: 'drop', reason: 'quietHours', skipped };
    return { action: 'defer', until, reason: 'quietHours' };
  }

  const lastPersonal = input.sent
    .filter((s) => isPersonal(s.channel))
    .sort((a, b) => a.at - b.at)
    .at(-1);
  const gapBlocked =
    lastPersonal !== undefined &&
    input.now - lastPersonal.at < parseDuration(input.policy.minGap) &&
    input.priority <= lastPersonal.priority;

  const today = localDate(input.now, tz);
  for (const channel of candidates) {
    if (gapBlocked && isPersonal(channel)) {
      skipped.push({ channel, reason: 'minGap' });
      continue;
    }
    const cap = input.policy.caps[channel];
    if (input.respectCaps && cap !== undefined) {
      const used = input.sent.filter((s) => s.channel === channel && localDate(s.at, tz) === today).length;
      if (used >= cap) {
        skipped.push({ channel, reason: 'cap' });
        continue;
      }
    }
    return { action: 'send', channel, skipped };
  }
  const reasons = skipped.filter((s) => s.reason !== 'consent').map((s) => s.reason);
  return {
    action: 'drop',
    reason: reasons.includes('minGap') ? 'minGap' : reasons.includes('cap') ? 'cap' : 'consent',
    skipped,
  };
}
