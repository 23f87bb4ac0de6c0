import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';

/** Who asked for an erasure: the API key, by id and name (never its secret). */
export type ErasedBy = { keyId: string; keyName: string };

/** What one erasure removed: rows per table, outbox files and Temporal workflow runs. */
export type ErasureSummary = { rows: Record<string, number>; files: number; workflowRuns: number };

export type ErasureRecord = ErasureSummary & {
  customerHash: string;
  keyId: string;
  keyName: string;
  erasedAt: Date;
};

/** The hex SHA-256 of a customer id: how `erasures` names a customer without keeping the id. */
export function customerHash(customerId: string): string {
  return createHash('sha256').update(customerId).digest('hex');
}

/**
 * Erasure of a customer from Postgres (DELETE /v1/customers/{id}). Every table of the schema with a
 * `customer_id` column is swept, found at run time rather than listed, so a table added later
 * cannot keep the person by being forgotten here. Aggregates without identity (event_volume) are
 * kept, and so are rate-limit buckets (keyed by a hash of the customer id, gone within a minute).
 */
export class ErasureRepository {
  constructor(private readonly pool: Pool) {}

  /** Delivery ids of the customer's outbox rows: their files are named after them. */
  async deliveryIds(customerId: string): Promise<string[]> {
    const r = await this.pool.query<{ delivery_id: string }>(
      'SELECT delivery_id FROM outbox WHERE customer_id = $1',
      [customerId],
    );
    return r.rows.map((x) => x.delivery_id);
  }

  /**
   * Deletes every row naming the customer in one transaction; returns rows deleted per table (only
   * tables that had some) and the delivery ids of the outbox rows deleted.
   */
  async deleteRows(customerId: string): Promise<{ rows: Record<string, number>; deliveryIds: string[] }> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const rows: Record<string, number> = {};
      const deliveryIds: string[] = [];
      for (const table of await tablesNamingCustomers(client)) {
        const returning = table === 'outbox' ? ' RETURNING delivery_id' : '';
        const r = await client.query<{ delivery_id?: string }>(
          `DELETE FROM ${q(table)} WHERE customer_id = $1${returning}`,
          [customerId],
        );
        if (r.rowCount) rows[table] = r.rowCount;
        for (const x of r.rows) if (x.delivery_id) deliveryIds.push(x.delivery_id);
      }
      await client.query('COMMIT');
      return { rows, deliveryIds };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Records an erasure (the customer only as its SHA-256). */
  async record(customerId: string, by: ErasedBy, summary: ErasureSummary): Promise<ErasureRecord> {
    const hash = customerHash(customerId);
    const r = await this.pool.query<{ erased_at: Date }>(
      `INSERT INTO erasures (customer_hash, key_id, key_name, summary) VALUES ($1, $2, $3, $4::jsonb)
       RETURNING erased_at`,
      [hash, by.keyId, by.keyName, JSON.stringify(summary)],
    );
    return { ...summary, customerHash: hash, ...by, erasedAt: r.rows[0]!.erased_at };
  }

  /** The erasures of a customer id, oldest first (found by its hash). */
  async listFor(customerId: string): Promise<ErasureRecord[]> {
    const r = await this.pool.query<{
      customer_hash: string;
      key_id: string;
      key_name: string;
      erased_at: Date;
      summary: ErasureSummary;
    }>(
      'SELECT customer_hash, key_id, key_name, erased_at, summary FROM erasures WHERE customer_hash = $1 ORDER BY id',
      [customerHash(customerId)],
    );
    return r.rows.map((x) => ({
      ...x.summary,
      customerHash: x.customer_hash,
      keyId: x.key_id,
      keyName: x.key_name,
      erasedAt: x.erased_at,
    }));
  }
}

/**
 * Every base table of the current schema with a `customer_id` column; outbox first so its delivery
 * ids are known. (`erasures` has none: it holds no customer id in clear.)
 */
async function tablesNamingCustomers(client: PoolClient): Promise<string[]> {
  const r = await client.query<{ table: string }>(
    `SELECT c.table_name AS table
       FROM information_schema.columns c
       JOIN information_schema.tables t
         ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = current_schema() AND c.column_name = 'customer_id'
      ORDER BY (c.table_name <> 'outbox'), c.table_name`,
  );
  return r.rows.map((x) => x.table);
}

function q(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
