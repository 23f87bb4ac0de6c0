import type { Pool } from 'pg';

export type AttributionKind =
  | 'fired'
  | 'suppressed'
  | 'exposure'
  | 'holdout'
  | 'deferred'
  | 'delivered'
  | 'failed'
  | 'cancelled'
  | 'exit'
  | 'escalated'
  | 'conversion'
  | 'engaged';

export type AttributionRow = {
  matchId: string;
  customerId: string;
  triggerId: string;
  triggerVersion: number;
  kind: AttributionKind;
  channel?: string;
  reason?: string | null;
  variant?: string | null;
  deliveryId?: string | null;
  value?: number | null;
  at: Date;
  details?: Record<string, unknown>;
};

type Raw = {
  match_id: string;
  customer_id: string;
  trigger_id: string;
  trigger_version: number;
  kind: AttributionKind;
  channel: string;
  reason: string | null;
  variant: string | null;
  delivery_id: string | null;
  value: number | null;
  at: Date;
  details: Record<string, unknown>;
};

/** Something that runs a query: the pool, or a client inside a transaction. */
export type Queryable = Pick<Pool, 'query'>;

/** The INSERT of attribution rows (skipping those logged) and its parameters, numbered from `first`. */
export function attributionInsert(
  rows: readonly AttributionRow[],
  first = 1,
): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  const tuples = rows.map((row, i) => {
    values.push(
      row.matchId,
      row.customerId,
      row.triggerId,
      row.triggerVersion,
      row.kind,
      row.channel ?? '',
      row.reason ?? null,
      row.variant ?? null,
      row.deliveryId ?? null,
      row.value ?? null,
      row.at,
      JSON.stringify(row.details ?? {}),
    );
    const p = Array.from({ length: 12 }, (_, k) => `$${first + i * 12 + k}`);
    return `(${p.slice(0, 11).join(',')},${p[11]}::jsonb)`;
  });
  return {
    sql: `INSERT INTO attribution_log (match_id, customer_id, trigger_id, trigger_version, kind, channel, reason, variant, delivery_id, value, at, details)
     VALUES ${tuples.join(',')} ON CONFLICT (customer_id, match_id, kind, channel) DO NOTHING`,
    values,
  };
}

/** Appends rows to the attribution log in one statement, skipping those already logged. Returns how many were new. */
export async function insertAttribution(db: Queryable, rows: readonly AttributionRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const { sql, values } = attributionInsert(rows);
  const r = await db.query(sql, values);
  return r.rowCount ?? 0;
}

/** The attribution log: one row per (match, kind, channel); retries write once. */
export class AttributionRepository {
  constructor(private readonly pool: Pool) {}

  /** Appends the given rows in one statement, skipping those already logged. Returns how many were new. */
  async log(rows: AttributionRow[]): Promise<number> {
    return insertAttribution(this.pool, rows);
  }

  async listForCustomer(customerId: string): Promise<AttributionRow[]> {
    const r = await this.pool.query<Raw>('SELECT * FROM attribution_log WHERE customer_id = $1 ORDER BY id', [
      customerId,
    ]);
    return r.rows.map((x) => ({
      matchId: x.match_id,
      customerId: x.customer_id,
      triggerId: x.trigger_id,
      triggerVersion: x.trigger_version,
      kind: x.kind,
      channel: x.channel,
      reason: x.reason,
      variant: x.variant,
      deliveryId: x.delivery_id,
      value: x.value,
      at: x.at,
      details: x.details,
    }));
  }
}
