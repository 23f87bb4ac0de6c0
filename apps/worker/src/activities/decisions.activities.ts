import type { Profile } from '@kairos/contracts';
import type { AttributionRepository } from '@kairos/persistence';
import {
  evaluatePred,
  type Arming,
  type ArmRequest,
  type Channel,
  type Delay,
  type Policy,
  type Pred,
} from '@kairos/triggers';
import { computeArmings } from '@kairos/triggers/node';
import { consentGiven } from '../policy/consent';
import { computeSendTime, planDelivery, type DeliveryPlan, type SentItem } from '../policy/send-plan';
import { reachableChannels } from './channel.activities';
import type { AttributionInput, ProfileSource } from './journey.activities';

/**
 * The profile a decision reads: the one the journey holds (kept until a profileChanged signal),
 * or null to read the stored one now. A profile read here is returned once, so the journey keeps
 * it without a separate loadProfile activity (local activity inputs are not recorded; results are).
 * `attribution`: rows the journey has not written yet, written here since this activity runs anyway.
 */
export type ProfileInput = { customerId: string; profile: Profile | null; attribution: AttributionInput[] };

export type MatchDecisionInput = ProfileInput & {
  now: number;
  /** `escalate.when` of the response and the event it reads (the last bound event). */
  escalate?: { when: Pred; event: { name: string; properties: Record<string, unknown> } };
  /** A delay that needs the customer's zone or habits (localTime, optimal). */
  delay?: Delay;
  /** Past opens and clicks (epoch ms), for `optimal`. */
  engagements: number[];
};
export type MatchDecision = { profile?: Profile; escalate: boolean; runAt: number | null };

export type SendDecisionInput = ProfileInput & {
  now: number;
  /** Channels to try, in order (from the current fallback position). */
  channels: Channel[];
  priority: number;
  policy: Pick<Policy, 'quietHours' | 'caps' | 'minGap' | 'consentDefault'>;
  respectQuietHours: boolean;
  respectCaps: boolean;
  /** Messages already sent to this customer (the journey's communication history). */
  sent: SentItem[];
  /** A deferral past this instant drops the response. */
  deadline: number | null;
};
export type SendDecision = { profile?: Profile; plan: DeliveryPlan };

/** Date and schedule triggers to arm, and the workspace's zone for profiles without one. */
export type CalendarInput = ProfileInput & { requests: ArmRequest[]; defaultZone?: string };
export type CalendarDecision = { profile?: Profile; armings: Arming[] };

/**
 * The journey's decisions that need the customer's profile or time zone: pure functions of
 * their input, run as local activities so each one is recorded (replay never re-reads a profile
 * or the tz database).
 */
export function createDecisionActivities(deps: {
  profiles: ProfileSource;
  attribution: AttributionRepository;
}) {
  async function read(input: ProfileInput): Promise<{ profile: Profile; loaded: boolean }> {
    await deps.attribution.log(input.attribution.map((r) => ({ ...r, at: new Date(r.at) })));
    if (input.profile !== null) return { profile: input.profile, loaded: false };
    const stored = await deps.profiles.get(input.customerId);
    return { profile: stored ?? { customerId: input.customerId }, loaded: true };
  }
  return {
    /** At match time: whether to escalate (`escalate.when` over the event and profile) and when to send. */
    async decideMatch(input: MatchDecisionInput): Promise<MatchDecision> {
      const { profile, loaded } = await read(input);
      const escalate =
        input.escalate !== undefined &&
        evaluatePred(input.escalate.when, { ...input.escalate.event, profile });
      const runAt =
        input.delay === undefined
          ? null
          : computeSendTime({
              now: input.now,
              timezone: profile.timezone ?? null,
              delay: input.delay,
              engagements: input.engagements,
            }).runAt;
      return { ...(loaded ? { profile } : {}), escalate, runAt };
    },

    /** At sending time: consent, quiet hours, minimum gap and daily caps pick a channel, or defer or drop. */
    async planSend(input: SendDecisionInput): Promise<SendDecision> {
      const { profile, loaded } = await read(input);
      const plan = planDelivery({
        now: input.now,
        timezone: profile.timezone ?? null,
        channels: input.channels,
        // An address known and consent given (the profile's flag, else the workspace default).
        reachable: reachableChannels(profile).filter((c) => consentGiven(profile, c, input.policy)),
        priority: input.priority,
        policy: input.policy,
        customerQuietHours: profile.quietHours ?? null,
        respectQuietHours: input.respectQuietHours,
        respectCaps: input.respectCaps,
        sent: input.sent,
        deadline: input.deadline,
      });
      return { ...(loaded ? { profile } : {}), plan };
    },

    /** Date and schedule triggers: their next instants from the profile, in its zone (docs/triggers.md §3.12). */
    async nextInstants(input: CalendarInput): Promise<CalendarDecision> {
      const { profile, loaded } = await read(input);
      return {
        ...(loaded ? { profile } : {}),
        armings: computeArmings(input.requests, profile, input.defaultZone),
      };
    },
  };
}

export type DecisionActivities = ReturnType<typeof createDecisionActivities>;
