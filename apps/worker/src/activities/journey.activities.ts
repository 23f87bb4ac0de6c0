import type { Profile } from '@kairos/contracts';
import type { AttributionRepository, AttributionRow, JourneyEventsRepository } from '@kairos/persistence';

/** Where profiles come from (Postgres `customers` in production). */
export type ProfileSource = { get(customerId: string): Promise<Profile | null> };

export type JourneyActivityDeps = {
  events: JourneyEventsRepository;
  attribution: AttributionRepository;
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

/** One attribution row as the journey hands it over (epoch ms instead of a Date). */
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

    /** Appends to the attribution log; retries write each (match, kind, channel) once. */
    async logAttribution(rows: AttributionInput[]): Promise<{ inserted: number }> {
      return { inserted: await deps.attribution.log(rows.map((r) => ({ ...r, at: new Date(r.at) }))) };
    },
  };
}

export type JourneyActivities = ReturnType<typeof createJourneyActivities>;
