import type { Pool } from 'pg';

import type { Profile } from '@kairos/contracts';

/** A customer profile as the journey reads it: the shared contract type. */
export type CustomerProfileRecord = Profile;

const camel = (s: string): string => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/**
 * Reads profiles from the gateway's `customers` table. The table is owned by the gateway's
 * migration; this reader accepts either a `profile jsonb` column or one column per field,
 * and returns null while the table does not exist (a worker started before the gateway).
 */
export class CustomersReadRepository {
  constructor(private readonly pool: Pool) {}

  async get(customerId: string): Promise<CustomerProfileRecord | null> {
    const exists = await this.pool.query<{ t: string | null }>(
      `SELECT to_regclass('public.customers')::text AS t`,
    );
    if (!exists.rows[0]?.t) return null;
    const r = await this.pool.query<{ row: Record<string, unknown> }>(
      'SELECT to_jsonb(c) AS row FROM customers c WHERE c.customer_id = $1',
      [customerId],
    );
    const row = r.rows[0]?.row;
    if (!row) return null;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) {
      if (k === 'profile' && v && typeof v === 'object') Object.assign(out, v);
      else if (v !== null) out[camel(k)] = v;
    }
    out.customerId = customerId;
    return out as CustomerProfileRecord;
  }
}
