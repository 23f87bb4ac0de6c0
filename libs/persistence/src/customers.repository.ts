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

  /** Replaces the profile of a customer (creating it); `created` is true for a new customer. */
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
       ON CONFLICT (customer_id) DO UPDATE SET profile = EXCLUDED.profile, updated_at = now()
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
