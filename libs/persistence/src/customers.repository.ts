import type { Pool } from 'pg';

/** A stored customer profile: the profile fields as given, plus bookkeeping times. */
export type StoredCustomer = {
  customerId: string;
  profile: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
};

/** Customer profiles owned by the gateway (table `customers`, one jsonb profile per customer). */
export class CustomersRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * Replaces the profile of a customer (creating it); `created` is true for a new customer. Consent
   * is the exception: flags the new profile leaves out keep their stored value, so a client that
   * writes the profile without `consent` never undoes a recorded opt-out (docs/api.md §4.4).
   */
  async upsert(
    customerId: string,
    profile: Record<string, unknown>,
  ): Promise<StoredCustomer & { created: boolean }> {
    const r = await this.pool.query<{
      profile: Record<string, unknown>;
      created_at: Date;
      updated_at: Date;
      created: boolean;
    }>(
      `INSERT INTO customers (customer_id, profile) VALUES ($1, $2::jsonb)
       ON CONFLICT (customer_id) DO UPDATE SET
         profile = CASE
           WHEN customers.profile ? 'consent' OR EXCLUDED.profile ? 'consent' THEN
             EXCLUDED.profile || jsonb_build_object('consent',
               coalesce(customers.profile->'consent', '{}'::jsonb) || coalesce(EXCLUDED.profile->'consent', '{}'::jsonb))
           ELSE EXCLUDED.profile END,
         updated_at = now()
       RETURNING profile, created_at, updated_at, (xmax = 0) AS created`,
      [customerId, JSON.stringify(profile)],
    );
    const row = r.rows[0]!;
    return {
      customerId,
      profile: row.profile,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      created: row.created,
    };
  }

  /**
   * Records that the customer withdrew consent for one channel (unsubscribe, complaint), keeping
   * the rest of the profile; creates a profile holding only the opt-out when there is none, so a
   * later PUT without consent cannot re-subscribe them. Returns when it was written.
   */
  async withdrawConsent(customerId: string, channel: 'email' | 'sms' | 'push'): Promise<Date> {
    const r = await this.pool.query<{ updated_at: Date }>(
      `INSERT INTO customers (customer_id, profile)
         VALUES ($1, jsonb_build_object('consent', jsonb_build_object($2::text, false)))
       ON CONFLICT (customer_id) DO UPDATE SET
         profile = customers.profile || jsonb_build_object('consent',
           coalesce(customers.profile->'consent', '{}'::jsonb) || jsonb_build_object($2::text, false)),
         updated_at = now()
       RETURNING updated_at`,
      [customerId, channel],
    );
    return r.rows[0]!.updated_at;
  }

  async get(customerId: string): Promise<StoredCustomer | null> {
    const r = await this.pool.query<{ profile: Record<string, unknown>; created_at: Date; updated_at: Date }>(
      'SELECT profile, created_at, updated_at FROM customers WHERE customer_id = $1',
      [customerId],
    );
    const row = r.rows[0];
    return row
      ? { customerId, profile: row.profile, createdAt: row.created_at, updatedAt: row.updated_at }
      : null;
  }
}
