import type { Pool } from 'pg';

/**
 * Whether a customer already has a journey, answered from journey_events: every event a journey
 * took in is recorded there (by the gateway before it signals, else by the journey), so a
 * customer without a row has never had an event handed on, and the next one starts a journey.
 * One probe of the primary key (customer_id, event_id).
 */
export class JourneyPresenceRepository {
  constructor(private readonly pool: Pool) {}

  async hasJourney(customerId: string): Promise<boolean> {
    const r = await this.pool.query<{ found: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM journey_events WHERE customer_id = $1) AS found',
      [customerId],
    );
    return r.rows[0]?.found === true;
  }
}
