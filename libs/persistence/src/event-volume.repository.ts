import type { Pool } from 'pg';

export type EventVolumeStatus = 'accepted' | 'duplicate' | 'ignored';

/** One counter cell: events of `name` with outcome `status` in the minute starting at `minute`. */
export type EventVolumeRow = { name: string; minute: Date; status: EventVolumeStatus; count: number };

/** Event volume per name, minute and outcome (written by the gateway, read by reports). */
export class EventVolumeRepository {
  constructor(private readonly pool: Pool) {}

  /** Adds the given counts (additive upsert: concurrent gateways and repeated flushes sum up). */
  async add(rows: EventVolumeRow[]): Promise<void> {
    if (rows.length === 0) return;
    const values: unknown[] = [];
    const tuples = rows.map((row, i) => {
      values.push(row.name, row.minute, row.status, row.count);
      const b = i * 4;
      return `($${b + 1}, date_trunc('minute', $${b + 2}::timestamptz), $${b + 3}, $${b + 4}::bigint)`;
    });
    await this.pool.query(
      `INSERT INTO event_volume (name, minute, status, count) VALUES ${tuples.join(', ')}
       ON CONFLICT (name, minute, status) DO UPDATE SET count = event_volume.count + EXCLUDED.count`,
      values,
    );
  }

  /**
   * Which of `names` were received (any outcome) since `since`; null when no event at all was
   * received since then (a fresh install has nothing to judge a name by). One index probe per name.
   */
  async namesSeenSince(names: readonly string[], since: Date): Promise<Set<string> | null> {
    const r = await this.pool.query<{ any: boolean; seen: string[] }>(
      `SELECT EXISTS (SELECT 1 FROM event_volume WHERE minute >= $2) AS any,
              ARRAY(SELECT n FROM unnest($1::text[]) AS n
                    WHERE EXISTS (SELECT 1 FROM event_volume v WHERE v.name = n AND v.minute >= $2)) AS seen`,
      [names, since],
    );
    const row = r.rows[0];
    return row?.any ? new Set(row.seen) : null;
  }

  /** Counts in [from, to), optionally for one event name, ordered by minute, name, status. */
  async list(filter: { from: Date; to: Date; name?: string }): Promise<EventVolumeRow[]> {
    const r = await this.pool.query<{ name: string; minute: Date; status: EventVolumeStatus; count: string }>(
      `SELECT name, minute, status, count FROM event_volume
       WHERE minute >= $1 AND minute < $2 AND ($3::text IS NULL OR name = $3)
       ORDER BY minute, name, status`,
      [filter.from, filter.to, filter.name ?? null],
    );
    return r.rows.map((x) => ({ name: x.name, minute: x.minute, status: x.status, count: Number(x.count) }));
  }
}
