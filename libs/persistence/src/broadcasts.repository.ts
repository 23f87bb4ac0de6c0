import type { Pool } from 'pg';
import type { BroadcastProgress, BroadcastState } from '@kairos/contracts';

/** A broadcast as POST /v1/broadcasts stores it (docs/api.md "Broadcasts"). */
export type NewBroadcast = {
  id: string;
  name: string;
  properties: Record<string, unknown>;
  audience:
    | { kind: 'where'; where: unknown; activeWithinMs: number | null }
    | { kind: 'customers'; customers: readonly string[] };
  ratePerSecond: number;
  startJourneys: boolean;
  requestHash: string;
  createdBy: string | null;
};

export type BroadcastRow = Omit<NewBroadcast, 'audience' | 'requestHash'> &
  BroadcastProgress & {
    audienceKind: 'where' | 'customers';
    where: unknown;
    activeWithinMs: number | null;
    requestHash: string;
    afterCustomer: string | null;
    createdAt: Date;
    cancelRequestedAt: Date | null;
    finishedAt: Date | null;
  };

/** Counts one delivered chunk adds to a broadcast. */
export type BroadcastStep = { matched: number; delivered: number; skipped: number; failed: number };

type Raw = {
  broadcast_id: string;
  name: string;
  properties: Record<string, unknown>;
  audience_kind: 'where' | 'customers';
  audience_where: unknown;
  active_within_ms: string | null;
  rate_per_second: number;
  start_journeys: boolean;
  request_hash: string;
  created_by: string | null;
  state: BroadcastState;
  after_customer: string | null;
  matched: string;
  delivered: string;
  skipped: string;
  failed: string;
  created_at: Date;
  cancel_requested_at: Date | null;
  finished_at: Date | null;
};

const toRow = (r: Raw): BroadcastRow => ({
  id: r.broadcast_id,
  name: r.name,
  properties: r.properties,
  audienceKind: r.audience_kind,
  where: r.audience_where,
  activeWithinMs: r.active_within_ms === null ? null : Number(r.active_within_ms),
  ratePerSecond: r.rate_per_second,
  startJourneys: r.start_journeys,
  requestHash: r.request_hash,
  createdBy: r.created_by,
  state: r.state,
  afterCustomer: r.after_customer,
  matched: Number(r.matched),
  delivered: Number(r.delivered),
  skipped: Number(r.skipped),
  failed: Number(r.failed),
  createdAt: r.created_at,
  cancelRequestedAt: r.cancel_requested_at,
  finishedAt: r.finished_at,
});

/** Listed customers inserted per statement. */
const LIST_CHUNK = 5_000;

/** Broadcasts and their progress; the worker advances a broadcast one delivered chunk at a time. */
export class BroadcastsRepository {
  constructor(private readonly pool: Pool) {}

  /** Stores a new broadcast (and its listed customers) once; a repeat returns the stored one. */
  async create(b: NewBroadcast): Promise<{ created: boolean; row: BroadcastRow }> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const inserted = await client.query<Raw>(
        `INSERT INTO broadcasts (broadcast_id, name, properties, audience_kind, audience_where,
           active_within_ms, rate_per_second, start_journeys, request_hash, created_by)
         VALUES ($1, $2, $3::jsonb, $4, $5::jsonb, $6, $7, $8, $9, $10)
         ON CONFLICT (broadcast_id) DO NOTHING RETURNING *`,
        [
          b.id,
          b.name,
          JSON.stringify(b.properties),
          b.audience.kind,
          b.audience.kind === 'where' ? JSON.stringify(b.audience.where) : null,
          b.audience.kind === 'where' ? b.audience.activeWithinMs : null,
          b.ratePerSecond,
          b.startJourneys,
          b.requestHash,
          b.createdBy,
        ],
      );
      const row = inserted.rows[0];
      if (row && b.audience.kind === 'customers')
        for (let i = 0; i < b.audience.customers.length; i += LIST_CHUNK)
          await client.query(
            `INSERT INTO broadcast_customers (broadcast_id, customer_id)
             SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
            [b.id, b.audience.customers.slice(i, i + LIST_CHUNK)],
          );
      await client.query('COMMIT');
      if (row) return { created: true, row: toRow(row) };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
    const existing = await this.get(b.id);
    if (!existing) throw new Error(`broadcast ${b.id} vanished while being created`);
    return { created: false, row: existing };
  }

  async get(id: string): Promise<BroadcastRow | null> {
    const r = await this.pool.query<Raw>('SELECT * FROM broadcasts WHERE broadcast_id = $1', [id]);
    return r.rows[0] ? toRow(r.rows[0]) : null;
  }

  /**
   * Adds one delivered chunk and moves the cursor, only if the cursor is still where this
   * attempt read it: a stale activity attempt (its worker presumed dead) can never count twice.
   * Null when another attempt moved it or the broadcast is no longer running.
   */
  async advance(
    id: string,
    from: string | null,
    to: string,
    step: BroadcastStep,
  ): Promise<BroadcastRow | null> {
    const r = await this.pool.query<Raw>(
      `UPDATE broadcasts SET after_customer = $3, matched = matched + $4, delivered = delivered + $5,
         skipped = skipped + $6, failed = failed + $7
       WHERE broadcast_id = $1 AND state = 'running' AND after_customer IS NOT DISTINCT FROM $2
       RETURNING *`,
      [id, from, to, step.matched, step.delivered, step.skipped, step.failed],
    );
    return r.rows[0] ? toRow(r.rows[0]) : null;
  }

  /** Ends a running broadcast (completed or cancelled); returns the row as it stands. */
  async finish(id: string, state: 'completed' | 'cancelled'): Promise<BroadcastRow | null> {
    await this.pool.query(
      `UPDATE broadcasts SET state = $2, finished_at = now() WHERE broadcast_id = $1 AND state = 'running'`,
      [id, state],
    );
    return this.get(id);
  }

  /**
   * Removes a broadcast's recorded event from customers it was never signalled to (a chunk cut
   * short by a cancel): journey_events holds only what journeys were handed.
   */
  async forgetEvents(eventId: string, customerIds: readonly string[]): Promise<void> {
    await this.pool.query(
      'DELETE FROM journey_events WHERE event_id = $1 AND customer_id = ANY($2::text[])',
      [eventId, customerIds],
    );
  }

  /** Notes a cancel request (the first one's time); null when there is no such broadcast. */
  async requestCancel(id: string): Promise<BroadcastRow | null> {
    const r = await this.pool.query<Raw>(
      `UPDATE broadcasts SET cancel_requested_at = coalesce(cancel_requested_at, now())
       WHERE broadcast_id = $1 RETURNING *`,
      [id],
    );
    return r.rows[0] ? toRow(r.rows[0]) : null;
  }
}
