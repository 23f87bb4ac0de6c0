import type { PoolClient } from 'pg';
import type { JourneyEventRow } from '@kairos/persistence';

/**
 * Writes imported history into journey_events. One statement per batch with one array
 * parameter per column (unnest): 7 parameters whatever the batch size, so a batch of
 * thousands is one round trip and one plan, without a staging table or a COPY dependency.
 * ON CONFLICT DO NOTHING makes a re-import (or a line repeated in the file) a duplicate.
 */
export class ImportRepository {
  constructor(private readonly client: PoolClient) {}

  /** Inserts the rows; returns how many were new. */
  async insert(rows: readonly JourneyEventRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    const result = await this.client.query(
      `INSERT INTO journey_events (customer_id, event_id, name, occurred_at, received_at, workflow_id, properties)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::text[], $7::jsonb[])
       ON CONFLICT (customer_id, event_id) DO NOTHING`,
      [
        rows.map((r) => r.customerId),
        rows.map((r) => r.eventId),
        rows.map((r) => r.name),
        rows.map((r) => r.occurredAt.toISOString()),
        rows.map((r) => r.receivedAt.toISOString()),
        rows.map((r) => r.workflowId),
        rows.map((r) => (r.properties == null ? null : JSON.stringify(r.properties))),
      ],
    );
    return result.rowCount ?? 0;
  }
}
