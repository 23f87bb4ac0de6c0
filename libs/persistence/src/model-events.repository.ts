import type { Pool } from 'pg';

/** A stored event as models read it: customer, name, occurred_at (epoch ms), properties if asked. */
export type ModelEventRow = [
  customerId: string,
  name: string,
  at: number,
  properties: Record<string, unknown> | null,
];

/** Reads of `journey_events`, `responses` and `customers` for training and scoring (docs/models.md §2). */
export class ModelEventsRepository {
  constructor(private readonly pool: Pool) {}

  /** The first and last occurred_at of every stored event (nulls when there is none). */
  async span(): Promise<{ first: Date | null; last: Date | null }> {
    const r = await this.pool.query<{ first: Date | null; last: Date | null }>(
      'SELECT min(occurred_at) AS first, max(occurred_at) AS last FROM journey_events',
    );
    return r.rows[0] ?? { first: null, last: null };
  }

  /** Customers with an event that occurred in `[from, to)`, sorted. */
  async customersActive(from: Date, to: Date): Promise<string[]> {
    const r = await this.pool.query<[string]>({
      text: 'SELECT DISTINCT customer_id FROM journey_events WHERE occurred_at >= $1 AND occurred_at < $2 ORDER BY 1',
      values: [from, to],
      rowMode: 'array',
    });
    return r.rows.map((x) => x[0]);
  }

  /** Customers with an event received after `since` (up to `until`), sorted. */
  async customersReceived(since: Date, until: Date): Promise<string[]> {
    const r = await this.pool.query<[string]>({
      text: 'SELECT DISTINCT customer_id FROM journey_events WHERE received_at > $1 AND received_at <= $2 ORDER BY 1',
      values: [since, until],
      rowMode: 'array',
    });
    return r.rows.map((x) => x[0]);
  }

  /**
   * Events of the customers `ids` (sorted) that occurred in `[from, to)`, ordered by customer and
   * time; properties only for `propertyNames` (the rest cost nothing to read).
   */
  async eventsOf(
    ids: readonly string[],
    from: Date,
    to: Date,
    propertyNames: readonly string[],
  ): Promise<ModelEventRow[]> {
    if (ids.length === 0) return [];
    const r = await this.pool.query<ModelEventRow>({
      text: `SELECT customer_id, name, (extract(epoch FROM occurred_at) * 1000)::float8,
                    CASE WHEN name = ANY($5::text[]) THEN properties END
               FROM journey_events
              WHERE customer_id >= $1 AND customer_id <= $2 AND customer_id = ANY($6::text[])
                AND occurred_at >= $3 AND occurred_at < $4
              ORDER BY customer_id, occurred_at`,
      values: [ids[0], ids[ids.length - 1], from, to, propertyNames, ids],
      rowMode: 'array',
    });
    return r.rows;
  }

  /** Deliveries, opens and clicks in `[from, to)` as `message.<type>` events, by customer. */
  async responses(from: Date, to: Date): Promise<Map<string, { name: string; at: number }[]>> {
    const r = await this.pool.query<[string, string, number]>({
      text: `SELECT customer_id, 'message.' || type, (extract(epoch FROM at) * 1000)::float8
               FROM responses WHERE at >= $1 AND at < $2 AND type IN ('delivered', 'opened', 'clicked')`,
      values: [from, to],
      rowMode: 'array',
    });
    const out = new Map<string, { name: string; at: number }[]>();
    for (const [c, name, at] of r.rows) {
      const list = out.get(c);
      if (list) list.push({ name, at });
      else out.set(c, [{ name, at }]);
    }
    return out;
  }

  /** When each of the customers `ids` got a record in `customers` (absent: none). */
  async createdAt(ids: readonly string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const r = await this.pool.query<[string, number]>({
      text: `SELECT customer_id, (extract(epoch FROM created_at) * 1000)::float8 FROM customers WHERE customer_id = ANY($1::text[])`,
      values: [ids],
      rowMode: 'array',
    });
    return new Map(r.rows);
  }
}
