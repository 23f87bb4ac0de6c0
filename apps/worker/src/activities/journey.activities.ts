import type { AttributionRepository, AttributionRow, JourneyEventsRepository } from '@kairos/persistence';
import {
  computeSendTime,
  planDelivery,
  type DeliveryPlan,
  type DeliveryPlanInput,
  type SendTimeInput,
  type SendTimeResult,
} from '../policy/send-plan';
import type { Profile } from '../workflows/journey-types';

/** Where profiles come from (Postgres `customers` in production). */
export type ProfileSource = { get(customerId: string): Promise<Profile | null> };

export type JourneyActivityDeps = {
  events: JourneyEventsRepository;
  attribution: AttributionRepository;
  profiles: ProfileSource;
};

export type RecordEventInput = {
  customerId: string;
  eventId: string;
  name: string;
  ts: number;
  receivedAt: number;
  workflowId: string;
  /** Stored so reports can read conversion values (valuePath); optional for older histories. */
  properties?: Record<string, unknown>;
};

export type AttributionInput = Omit<AttributionRow, 'at'> & { at: number };

/** Activities of the journey's own bookkeeping. Each is idempotent: retries never double-write. */
export function createJourneyActivities(deps: JourneyActivityDeps) {
  const toRow = (input: RecordEventInput) => ({
    customerId: input.customerId,
    eventId: input.eventId,
    name: input.name,
    occurredAt: new Date(input.ts),
    receivedAt: new Date(input.receivedAt),
    workflowId: input.workflowId,
    properties: input.properties ?? null,
  });
  return {
    /** Writes the event the journey took in to Postgres (ON CONFLICT DO NOTHING on its id). */
    async recordEvent(input: RecordEventInput): Promise<{ inserted: boolean }> {
      return { inserted: await deps.events.record(toRow(input)) };
    },

    /** Writes a batch of events in order; returns how many were new (the rest were retries). */
    async recordEvents(inputs: RecordEventInput[]): Promise<{ inserted: number }> {
      let inserted = 0;
      // Ten at a time: a burst of signals is written in parallel without starving the pool.
      for (let i = 0; i < inputs.length; i += 10) {
        const results = await Promise.all(
          inputs.slice(i, i + 10).map((input) => deps.events.record(toRow(input))),
        );
        inserted += results.filter(Boolean).length;
      }
      return { inserted };
    },

    /** The customer's profile, or a bare one when the customer has none yet. */
    async loadProfile(customerId: string): Promise<Profile> {
      return (await deps.profiles.get(customerId)) ?? { customerId };
    },

    /** Appends to the attribution log; retries write each (match, kind, channel) once. */
    async logAttribution(rows: AttributionInput[]): Promise<{ inserted: number }> {
      return { inserted: await deps.attribution.log(rows.map((r) => ({ ...r, at: new Date(r.at) }))) };
    },

    /** When a response should run (time-zone arithmetic; recorded in history for replay). */
    async computeSendTime(input: SendTimeInput): Promise<SendTimeResult> {
      return computeSendTime(input);
    },

    /** Workspace policy at sending time: consent, quiet hours, minimum gap, daily caps. */
    async planDelivery(input: DeliveryPlanInput): Promise<DeliveryPlan> {
      return planDelivery(input);
    },
  };
}

export type JourneyActivities = ReturnType<typeof createJourneyActivities>;
