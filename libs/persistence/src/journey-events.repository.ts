import type { Pool } from 'pg';
import { customerWorkflowId, type EventSignal } from '@kairos/contracts';

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

/** Rows per INSERT of recordAll (7 parameters each, far below Postgres' 65,535). */
const RECORD_BATCH = 500;

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

  /**
   * Records events as signalled to their journeys: what the gateway (and the test kit, the same
   * way) does before it signals them, so nothing accepted is lost and the journey does not spend
   * an activity on it. Idempotent; returns how many were new.
   */
  async recordSignals(signals: readonly EventSignal[]): Promise<number> {
    return this.recordAll(
      signals.map((s) => ({
        customerId: s.customerId,
        eventId: s.id,
        name: s.name,
        occurredAt: new Date(s.ts),
        receivedAt: new Date(s.receivedAt),
        workflowId: customerWorkflowId(s.customerId),
        properties: s.properties,
      })),
    );
  }

  /**
   * Records events in one statement per 500 (idempotent on customer and event id); returns
   * how many were new.
   */
  async recordAll(rows: readonly JourneyEventRow[]): Promise<number> {
    let inserted = 0;
    for (let i = 0; i < rows.length; i += RECORD_BATCH) {
      const chunk = rows.slice(i, i + RECORD_BATCH);
      const values: unknown[] = [];
      const tuples = chunk.map((row, j) => {
        values.push(
          row.customerId,
          row.eventId,
          row.name,
          row.occurredAt,
          row.receivedAt,
          row.workflowId,
          row.properties == null ? null : JSON.stringify(row.properties),
        );
        const b = j * 7;
        return `($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},$${b + 6},$${b + 7}::jsonb)`;
      });
      const result = await this.pool.query(
        `INSERT INTO journey_events (customer_id, event_id, name, occurred_at, received_at, workflow_id, properties)
         VALUES ${tuples.join(',')} ON CONFLICT (customer_id, event_id) DO NOTHING`,
        values,
      );
      inserted += result.rowCount ?? 0;
    }
    return inserted;
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
