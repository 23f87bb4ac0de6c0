// `policy: true` backtests (docs/api.md §11): the workspace policy applied to each fired match as
// the journey applies it when sending, with the same pure functions (apps/worker/src/policy).
import type { Profile } from '@kairos/contracts';
import type { MatchOutput, Policy, PolicyJudge, PolicyReason, Trigger } from '@kairos/triggers';
import { reachableChannels } from '../activities/channel.activities';
import { consentGiven } from '../policy/consent';
import { computeSendTime, planDelivery, type SentItem } from '../policy/send-plan';

const REASONS: Record<string, PolicyReason> = {
  consent: 'consent',
  quietHours: 'quietHours',
  minGap: 'minimumGap',
  cap: 'caps',
};

/** Deferrals followed per match before giving up (quiet hours end within a day). */
const MAX_DEFERRALS = 4;

/**
 * A judge for one customer: each fired match with a response is planned at its send time
 * (its delay applied to the instant it was emitted) against the messages this backtest has
 * already "sent" the customer; a quiet-hours deferral is planned again at its end. Without a
 * stored profile the customer has no address and no consent: every personal channel is refused.
 */
export function policyJudge(
  triggers: readonly Trigger[],
  policy: Policy,
  profile: Profile | null,
): PolicyJudge {
  const byId = new Map(triggers.map((t) => [t.id, t]));
  const who: Profile = profile ?? { customerId: '' };
  const reachable = reachableChannels(who).filter((c) => consentGiven(who, c, policy));
  const sent: SentItem[] = [];
  return (m: MatchOutput, emittedAt: number): PolicyReason | null => {
    const response = byId.get(m.triggerId)?.response;
    if (!response) return null;
    const delay = response.delay ?? { type: 'none' as const };
    let now = computeSendTime({
      now: emittedAt,
      timezone: who.timezone ?? null,
      delay,
      engagements: [],
    }).runAt;
    for (let i = 0; i <= MAX_DEFERRALS; i++) {
      const plan = planDelivery({
        now,
        timezone: who.timezone ?? null,
        channels: response.channels.order,
        reachable,
        priority: m.priority,
        policy,
        customerQuietHours: who.quietHours ?? null,
        respectQuietHours: response.policy?.quietHours !== 'ignore',
        respectCaps: response.policy?.caps !== 'ignore',
        sent,
        deadline: null,
      });
      if (plan.action === 'send') {
        sent.push({ at: now, channel: plan.channel, triggerId: m.triggerId, priority: m.priority });
        return null;
      }
      if (plan.action === 'drop') return REASONS[plan.reason] ?? 'consent';
      now = plan.until;
    }
    return 'quietHours';
  };
}
