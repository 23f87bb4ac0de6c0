import type { Pool } from 'pg';

/** One customer of a broadcast's audience, and whether a journey already took in an event of theirs. */
export type AudienceMember = { customerId: string; hasJourney: boolean };

/**
 * A SQL condition over `customers c` (its `profile` jsonb and `customer_id`): it calls `param`
 * for each value it needs and writes the placeholder it gets back.
 */
export type AudienceCondition = (param: (value: unknown) => string) => string;

export type AudiencePage = {
  broadcastId: string;
  /** Customers of `broadcast_customers`, or of `customers` matching `where` (and active since). */
  audience: { kind: 'customers' } | { kind: 'where'; where: AudienceCondition; activeSince: Date | null };
  /** The last customer id of the previous page; null for the first page. */
  after: string | null;
  limit: number;
};

// Every customer who has had a journey has a journey_events row (journey-presence.repository.ts).
const HAS_JOURNEY = 'EXISTS (SELECT 1 FROM journey_events je WHERE je.customer_id = c.customer_id)';

/** Reads a broadcast's audience in pages in customer id order (keyset pagination on the primary keys). */
export class BroadcastAudienceRepository {
  constructor(private readonly pool: Pool) {}

  async page(p: AudiencePage): Promise<AudienceMember[]> {
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const after = p.after === null ? 'TRUE' : `c.customer_id > ${param(p.after)}`;
    let from: string;
    if (p.audience.kind === 'customers') {
      from = `broadcast_customers c WHERE c.broadcast_id = ${param(p.broadcastId)} AND ${after}`;
    } else {
      const where = p.audience.where(param);
      const active =
        p.audience.activeSince === null
          ? ''
          : ` AND EXISTS (SELECT 1 FROM journey_events ja WHERE ja.customer_id = c.customer_id
                AND ja.received_at >= ${param(p.audience.activeSince)})`;
      from = `customers c WHERE ${after} AND (${where})${active}`;
    }
    const r = await this.pool.query<AudienceMember>(
      `SELECT c.customer_id AS "customerId", ${HAS_JOURNEY} AS "hasJourney" FROM ${from}
       ORDER BY c.customer_id LIMIT ${param(p.limit)}::int`,
      params,
    );
    return r.rows;
  }
}
