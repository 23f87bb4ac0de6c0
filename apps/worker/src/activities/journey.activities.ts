import type { JourneyEventsRepository } from '@kairos/persistence';

export type JourneyActivityDeps = { events: JourneyEventsRepository };

export type RecordEventInput = {
  customerId: string;
  eventId: string;
  name: string;
  ts: number;
  receivedAt: number;
  workflowId: string;
};

/** Activities of the journey's own bookkeeping. Each is idempotent: retries never double-write. */
export function createJourneyActivities(deps: JourneyActivityDeps) {
  return {
    /** Writes the event the journey took in to Postgres (ON CONFLICT DO NOTHING on its id). */
    async recordEvent(input: RecordEventInput): Promise<{ inserted: boolean }> {
      const inserted = await deps.events.record({
        customerId: input.customerId,
        eventId: input.eventId,
        name: input.name,
        occurredAt: new Date(input.ts),
        receivedAt: new Date(input.receivedAt),
        workflowId: input.workflowId,
      });
      return { inserted };
    },
  };
}

export type JourneyActivities = ReturnType<typeof createJourneyActivities>;
