import type { Pool } from 'pg';

export type JourneyEventRow = {
  customerId: string;
  eventId: string;
  name: string;
  occurredAt: Date;
  receivedAt: Date;
  workflowId: string;
  /** The event's properties (conversion values are read from them); absent on older rows. */
  properties?: Record<string, unknown> | null;
};

/** Events a journey has taken in. Inserts are idempotent on (customer, event id). */
export class JourneyEventsRepository {
  constructor(private readonly pool: Pool) {}

  /** Records one event; returns false when it was already recorded (an activity retry). */
  async record(row: JourneyEventRow): Promise<boolean> {
    const result = await this.pool.query(
      `INSERT INTO journey_events (customer_id, event_id, name, occurred_at, received_at, workflow_id, properties)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) ON CONFLICT (customer_id, event_id) DO NOTHING`,
      [
        row.customerId,
        row.eventId,
        row.name,
        row.occurredAt,
        row.receivedAt,
        row.workflowId,
        row.properties == null ? null : JSON.stringify(row.properties),
      ],
    );
    return result.rowCount === 1;
  }

  async listForCustomer(customerId: string): Promise<JourneyEventRow[]> {
    const result = await this.pool.query<{
      customer_id: string;
      event_id: string;
      name: string;
      occurred_at: Date;
      received_at: Date;
      workflow_id: string;
    }>(
      `SELECT customer_id, event_id, name, occurred_at, received_at, workflow_id
       FROM journey_events WHERE customer_id = $1 ORDER BY received_at, event_id`,
      [customerId],
    );
    return result.rows.map((r) => ({
      customerId: r.customer_id,
      eventId: r.event_id,
      name: r.name,
      occurredAt: r.occurred_at,
      receivedAt: r.received_at,
      workflowId: r.workflow_id,
    }));
  }
}
