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

/** The attribution log: one row per (match, kind, channel); retries write once. */
export class AttributionRepository {
  constructor(private readonly pool: Pool) {}

  /** Appends the given rows in one statement, skipping those already logged. Returns how many were new. */
  async log(rows: AttributionRow[]): Promise<number> {
    if (rows.length === 0) return 0;
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
      const b = i * 12;
      return `($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},$${b + 6},$${b + 7},$${b + 8},$${b + 9},$${b + 10},$${b + 11},$${b + 12}::jsonb)`;
    });
    const r = await this.pool.query(
      `INSERT INTO attribution_log (match_id, customer_id, trigger_id, trigger_version, kind, channel, reason, variant, delivery_id, value, at, details)
       VALUES ${tuples.join(',')} ON CONFLICT (customer_id, match_id, kind, channel) DO NOTHING`,
      values,
    );
    return r.rowCount ?? 0;
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
