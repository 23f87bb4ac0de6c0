// Activities that only v1 runs call (workflows/v1), with the shapes v1 recorded. A v1 run still
// executes them on a v2 worker in the one workflow task before it continues as new onto v2.
// Deleted together with workflows/v1 once no v1 run is left.
import type { Profile } from '@kairos/contracts';
import {
  computeSendTime,
  planDelivery,
  type DeliveryPlan,
  type SendTimeResult,
} from '../../policy/send-plan';
import type { ChannelName, DelayDef, Definitions, PolicyDef } from '../../workflows/v1/journey-v1-types';
import type { JourneyActivities, ProfileSource } from '../journey.activities';
import type { SentItem } from '../../policy/send-plan';

type SendTimeInputV1 = { now: number; timezone?: string | null; delay: DelayDef; engagements: number[] };
type DeliveryPlanInputV1 = {
  now: number;
  timezone?: string | null;
  channels: ChannelName[];
  reachable: ChannelName[];
  priority: number;
  policy: PolicyDef;
  customerQuietHours?: { start: string; end: string } | null;
  respectQuietHours: boolean;
  respectCaps: boolean;
  sent: SentItem[];
  deadline?: number | null;
};

export function createLegacyActivities(deps: { definitions: () => Definitions; profiles: ProfileSource }) {
  return {
    async loadDefinitions(): Promise<Definitions> {
      return deps.definitions();
    },

    /** The customer's profile, or a bare one when the customer has none yet. */
    async loadProfile(customerId: string): Promise<Profile> {
      return (await deps.profiles.get(customerId)) ?? { customerId };
    },

    async computeSendTime(input: SendTimeInputV1): Promise<SendTimeResult> {
      const d = input.delay;
      const delay =
        d.type === 'fixed'
          ? { type: 'fixed' as const, duration: d.durationMs }
          : d.type === 'optimal'
            ? { type: 'optimal' as const, fallback: d.fallback, within: d.withinMs }
            : d;
      return computeSendTime({ ...input, delay });
    },

    async planDelivery(input: DeliveryPlanInputV1): Promise<DeliveryPlan> {
      const { minGapMs, ...policy } = input.policy;
      return planDelivery({ ...input, policy: { ...policy, minGap: minGapMs } });
    },
  };
}

/** Everything a v1 run calls besides sendMessage and the escalation activities. */
export type LegacyActivities = ReturnType<typeof createLegacyActivities> &
  Pick<JourneyActivities, 'recordEvents' | 'logAttribution'>;
