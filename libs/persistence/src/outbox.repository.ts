import type { Pool } from 'pg';
import { attributionInsert, type AttributionRow, type Queryable } from './attribution.repository';

/** Where a send stands: see migrations/1733200000000_outbox-claims.sql and docs/operations.md. */
export type OutboxState = 'sending' | 'sent' | 'uncertain' | 'failed';

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
  /** The body is HTML (sent as such by SMTP). */
  html?: boolean;
  /** Written as `sent` unless given (a row inserted after its send). */
  state?: OutboxState;
  attempts?: number;
  /** How long ago the current claim was taken, by the database clock (read only). */
  claimAgeMs?: number;
  lastError?: string | null;
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
  html: boolean;
  state: OutboxState;
  attempts: number;
  claim_age_ms: number;
  last_error: string | null;
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
  html: r.html,
  state: r.state,
  attempts: r.attempts,
  claimAgeMs: r.claim_age_ms,
  lastError: r.last_error,
  createdAt: r.created_at,
});

const SELECT = `SELECT *, (extract(epoch FROM clock_timestamp() - claimed_at) * 1000)::float8 AS claim_age_ms
  FROM outbox`;

// A row inserted after its send: a second insert of the same delivery changes nothing.
const ONCE = 'ON CONFLICT (delivery_id) DO NOTHING';

/**
 * Messages handed to a channel, one row per delivery id (hash of customer, match and channel).
 * A send claims its row before the transport is called and settles it after (see OutboxState).
 */
export class OutboxRepository {
  constructor(private readonly pool: Pool) {}

  /** Looks up a delivery, in whatever state (an activity retry finds its claim). */
  async find(deliveryId: string): Promise<OutboxRow | null> {
    const r = await this.pool.query<Raw>(`${SELECT} WHERE delivery_id = $1`, [deliveryId]);
    return r.rows[0] ? toRow(r.rows[0]) : null;
  }

  /**
   * Claims a send before its transport is called: inserts the row as `sending`, or takes over a
   * `failed` one (nothing left then). False when another attempt holds or finished the claim:
   * the delivery id is the primary key, so of two attempts only one claims.
   */
  async claim(row: OutboxRow): Promise<boolean> {
    const insert = outboxInsert({ ...row, state: 'sending' });
    const r = await this.pool.query(
      `${insert.sql} ON CONFLICT (delivery_id)
       DO UPDATE SET (recipient, subject, body, html, transport, transport_ref, state, attempts, claimed_at, completed_at, last_error)
         = (EXCLUDED.recipient, EXCLUDED.subject, EXCLUDED.body, EXCLUDED.html, EXCLUDED.transport,
            EXCLUDED.transport_ref, 'sending', outbox.attempts + 1, now(), NULL, NULL)
       WHERE outbox.state = 'failed'`,
      insert.values,
    );
    return r.rowCount === 1;
  }

  /**
   * Records the transport's answer (`sent`) with the delivery's attribution rows, in one
   * statement. A send found `uncertain` that completes after all is `sent` too.
   */
  async complete(
    deliveryId: string,
    result: { transport: OutboxRow['transport']; transportRef: string | null },
    attribution: readonly AttributionRow[],
  ): Promise<boolean> {
    return this.settle(
      `UPDATE outbox SET state = 'sent', transport = $2, transport_ref = $3, completed_at = now(), last_error = NULL
       WHERE delivery_id = $1 AND state IN ('sending', 'uncertain')`,
      [deliveryId, result.transport, result.transportRef],
      attribution,
    );
  }

  /** Marks a claimed send `uncertain` (may have left, never sent again), with its attribution rows. */
  async markUncertain(
    deliveryId: string,
    reason: string,
    attribution: readonly AttributionRow[],
  ): Promise<boolean> {
    return this.settle(
      `UPDATE outbox SET state = 'uncertain', completed_at = now(), last_error = $2
       WHERE delivery_id = $1 AND state = 'sending'`,
      [deliveryId, reason.slice(0, 1000)],
      attribution,
    );
  }

  /** Releases a claim whose message certainly did not leave (`failed`): a retry may claim it again. */
  async release(deliveryId: string, reason: string): Promise<boolean> {
    const r = await this.pool.query(
      `UPDATE outbox SET state = 'failed', completed_at = now(), last_error = $2
       WHERE delivery_id = $1 AND state = 'sending'`,
      [deliveryId, reason.slice(0, 1000)],
    );
    return r.rowCount === 1;
  }

  /** One UPDATE of the outbox row and the INSERT of attribution rows, in one statement. */
  private async settle(
    update: string,
    values: unknown[],
    attribution: readonly AttributionRow[],
  ): Promise<boolean> {
    if (attribution.length === 0) return ((await this.pool.query(update, values)).rowCount ?? 0) === 1;
    const log = attributionInsert(attribution, values.length + 1);
    const r = await this.pool.query<{ updated: string }>(
      `WITH o AS (${update} RETURNING 1), a AS (${log.sql} RETURNING 1)
       SELECT (SELECT count(*) FROM o) AS updated, (SELECT count(*) FROM a) AS logged`,
      [...values, ...log.values],
    );
    return Number(r.rows[0]?.updated) === 1;
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
      `WITH o AS (${outbox.sql} ${ONCE} RETURNING 1), a AS (${log.sql} RETURNING 1)
       SELECT (SELECT count(*) FROM o) AS inserted, (SELECT count(*) FROM a) AS logged`,
      [...outbox.values, ...log.values],
    );
    return Number(r.rows[0]?.inserted) === 1;
  }

  async listForCustomer(customerId: string): Promise<OutboxRow[]> {
    const r = await this.pool.query<Raw>(
      `${SELECT} WHERE customer_id = $1 ORDER BY created_at, delivery_id`,
      [customerId],
    );
    return r.rows.map(toRow);
  }
}

function outboxInsert(row: OutboxRow): { sql: string; values: unknown[] } {
  return {
    sql: `INSERT INTO outbox (delivery_id, match_id, customer_id, trigger_id, trigger_version, channel, template_id, variant,
                         recipient, subject, body, transport, transport_ref, html, state, completed_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,
             CASE WHEN $15 = 'sending' THEN NULL ELSE now() END)`,
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
      row.html ?? false,
      row.state ?? 'sent',
    ],
  };
}

async function insertOutbox(db: Queryable, row: OutboxRow): Promise<boolean> {
  const { sql, values } = outboxInsert(row);
  const r = await db.query(`${sql} ${ONCE}`, values);
  return r.rowCount === 1;
}
