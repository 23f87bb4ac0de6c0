import type { Pool } from 'pg';
import { attributionInsert, type AttributionRow, type Queryable } from './attribution.repository';

export type OutboxRow = {
  deliveryId: string;
  matchId: string;
  customerId: string;
  triggerId: string;
  triggerVersion: number;
  channel: string;
  templateId: string;
  variant: string | null;
  recipient: string | null;
  subject: string | null;
  body: string;
  transport: 'outbox' | 'smtp' | 'http';
  transportRef: string | null;
  createdAt?: Date;
};

type Raw = {
  delivery_id: string;
  match_id: string;
  customer_id: string;
  trigger_id: string;
  trigger_version: number;
  channel: string;
  template_id: string;
  variant: string | null;
  recipient: string | null;
  subject: string | null;
  body: string;
  transport: OutboxRow['transport'];
  transport_ref: string | null;
  created_at: Date;
};

const toRow = (r: Raw): OutboxRow => ({
  deliveryId: r.delivery_id,
  matchId: r.match_id,
  customerId: r.customer_id,
  triggerId: r.trigger_id,
  triggerVersion: r.trigger_version,
  channel: r.channel,
  templateId: r.template_id,
  variant: r.variant,
  recipient: r.recipient,
  subject: r.subject,
  body: r.body,
  transport: r.transport,
  transportRef: r.transport_ref,
  createdAt: r.created_at,
});

/** Messages handed to a channel. Idempotent on delivery id (hash of matchId and channel). */
export class OutboxRepository {
  constructor(private readonly pool: Pool) {}

  /** Looks up a delivery already made (an activity retry finds it and does not send again). */
  async find(deliveryId: string): Promise<OutboxRow | null> {
    const r = await this.pool.query<Raw>('SELECT * FROM outbox WHERE delivery_id = $1', [deliveryId]);
    return r.rows[0] ? toRow(r.rows[0]) : null;
  }

  /** Inserts the delivery; returns false when it already existed. */
  async insert(row: OutboxRow): Promise<boolean> {
    return insertOutbox(this.pool, row);
  }

  /**
   * Inserts the delivery and attribution rows (at least its `delivered` row) in one statement: a
   * delivery is never recorded without them (or the reverse). Returns false when it already existed.
   */
  async insertWithAttribution(row: OutboxRow, attribution: readonly AttributionRow[]): Promise<boolean> {
    if (attribution.length === 0) return this.insert(row);
    const outbox = outboxInsert(row);
    const log = attributionInsert(attribution, outbox.values.length + 1);
    const r = await this.pool.query<{ inserted: string }>(
      `WITH o AS (${outbox.sql} RETURNING 1), a AS (${log.sql} RETURNING 1)
       SELECT (SELECT count(*) FROM o) AS inserted, (SELECT count(*) FROM a) AS logged`,
      [...outbox.values, ...log.values],
    );
    return Number(r.rows[0]?.inserted) === 1;
  }

  async listForCustomer(customerId: string): Promise<OutboxRow[]> {
    const r = await this.pool.query<Raw>(
      'SELECT * FROM outbox WHERE customer_id = $1 ORDER BY created_at, delivery_id',
      [customerId],
    );
    return r.rows.map(toRow);
  }
}

function outboxInsert(row: OutboxRow): { sql: string; values: unknown[] } {
  return {
    sql: `INSERT INTO outbox (delivery_id, match_id, customer_id, trigger_id, trigger_version, channel, template_id, variant,
                         recipient, subject, body, transport, transport_ref)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) ON CONFLICT (delivery_id) DO NOTHING`,
    values: [
      row.deliveryId,
      row.matchId,
      row.customerId,
      row.triggerId,
      row.triggerVersion,
      row.channel,
      row.templateId,
      row.variant,
      row.recipient,
      row.subject,
      row.body,
      row.transport,
      row.transportRef,
    ],
  };
}

async function insertOutbox(db: Queryable, row: OutboxRow): Promise<boolean> {
  const { sql, values } = outboxInsert(row);
  const r = await db.query(sql, values);
  return r.rowCount === 1;
}
