import type { Pool } from 'pg';

export type BacktestRowState = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
export type BacktestProgressRow = {
  customersDone: number;
  customersTotal: number | null;
  eventsDone: number;
};

/** A backtest job (docs/api.md §11). `request` as accepted, `spec` what the worker runs. */
export type BacktestRow = {
  id: string;
  state: BacktestRowState;
  request: unknown;
  spec: unknown;
  progress: BacktestProgressRow;
  /** The running tally (the worker's format), null before the first checkpoint. */
  results: unknown;
  /** The last customer counted in `results`; null once the job has ended. */
  checkpoint: string | null;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

/** Every column, aliased to the row's field names: pg returns `BacktestRow` as is. */
const COLUMNS = `id, state, request, spec, progress, results, checkpoint, error,
  created_at AS "createdAt", started_at AS "startedAt", finished_at AS "finishedAt"`;

const LIVE = "state IN ('queued', 'running')";

/**
 * What an ended job forgets: the last customer counted, kept only for a retried attempt to resume
 * from (an ended job is never resumed) and a customer id that no erasure would otherwise reach.
 */
const ENDED = 'checkpoint = NULL';

/**
 * `tally` (a SQL jsonb expression) with `triggers[*].samples` rebuilt from the samples `keep` (a
 * SQL condition on `s.value`) lets through, the others in their order; counts untouched (they
 * name nobody). The one rebuild both sample sweeps use.
 */
function keepSamples(tally: string, keep: string): string {
  return `CASE WHEN jsonb_typeof(${tally} -> 'triggers') = 'array'
  THEN jsonb_set(${tally}, '{triggers}', (
    SELECT coalesce(jsonb_agg(
             CASE WHEN jsonb_typeof(t.value -> 'samples') = 'array'
               THEN jsonb_set(t.value, '{samples}', (
                 SELECT coalesce(jsonb_agg(s.value ORDER BY s.ordinality), '[]'::jsonb)
                   FROM jsonb_array_elements(t.value -> 'samples') WITH ORDINALITY AS s
                  WHERE ${keep}))
               ELSE t.value END
             ORDER BY t.ordinality), '[]'::jsonb)
      FROM jsonb_array_elements(${tally} -> 'triggers') WITH ORDINALITY AS t))
  ELSE ${tally} END`;
}

/**
 * The samples of customers not erased since the job started (or was created, before its start).
 * The customer is matched as `erasures` names it: the hex SHA-256 of the id's UTF-8 bytes
 * (customerHash), one index lookup per sample.
 */
const NOT_ERASED_SINCE_START = `NOT EXISTS (
  SELECT 1 FROM erasures e
   WHERE e.customer_hash = encode(sha256(convert_to(s.value ->> 'customerId', 'UTF8')), 'hex')
     AND e.erased_at >= coalesce(b.started_at, b.created_at))`;

/** Backtest jobs. Every change after the start is conditional on the job still being live. */
export class BacktestsRepository {
  constructor(private readonly pool: Pool) {}

  async create(id: string, request: unknown, spec: unknown): Promise<void> {
    await this.pool.query('INSERT INTO backtests (id, request, spec) VALUES ($1, $2::jsonb, $3::jsonb)', [
      id,
      JSON.stringify(request),
      JSON.stringify(spec),
    ]);
  }

  async get(id: string): Promise<BacktestRow | null> {
    const r = await this.pool.query<BacktestRow>(`SELECT ${COLUMNS} FROM backtests WHERE id = $1`, [id]);
    return r.rows[0] ?? null;
  }

  async delete(id: string): Promise<void> {
    await this.pool.query('DELETE FROM backtests WHERE id = $1', [id]);
  }

  /** Marks the job running (again, after a restart); null when it is no longer live. */
  async start(id: string, customersTotal: number): Promise<BacktestRow | null> {
    const r = await this.pool.query<BacktestRow>(
      `UPDATE backtests SET state = 'running', started_at = coalesce(started_at, now()),
         progress = jsonb_set(progress, '{customersTotal}', to_jsonb($2::int))
       WHERE id = $1 AND ${LIVE} RETURNING ${COLUMNS}`,
      [id, customersTotal],
    );
    return r.rows[0] ?? null;
  }

  /**
   * Saves a checkpoint: counts up to `checkpoint` included. False when the job was cancelled.
   * The samples of customers erased since the job started are dropped on the way in, so a run
   * that counted them before their erasure does not write them back.
   */
  async checkpoint(
    id: string,
    progress: BacktestProgressRow,
    results: unknown,
    checkpoint: string | null,
  ): Promise<boolean> {
    const r = await this.pool.query(
      `UPDATE backtests b SET progress = $2::jsonb, results = ${keepSamples('$3::jsonb', NOT_ERASED_SINCE_START)}, checkpoint = $4
       WHERE b.id = $1 AND b.state = 'running'`,
      [id, JSON.stringify(progress), JSON.stringify(results), checkpoint],
    );
    return r.rowCount === 1;
  }

  /** Ends a live job as completed or failed; false when it had already ended (cancelled). */
  async finish(id: string, state: 'completed' | 'failed', error: string | null = null): Promise<boolean> {
    const r = await this.pool.query(
      `UPDATE backtests SET state = $2, error = $3, finished_at = now(), ${ENDED} WHERE id = $1 AND ${LIVE}`,
      [id, state, error],
    );
    return r.rowCount === 1;
  }

  /**
   * Removes a customer's samples (their id, bound events and properties) from the stored results
   * of every backtest, in one statement; returns how many backtests held them. The table has no
   * `customer_id` column, so the erasure's row sweep does not reach it.
   */
  async eraseSamples(customerId: string): Promise<number> {
    const r = await this.pool.query(
      `UPDATE backtests b SET results = ${keepSamples('b.results', "s.value ->> 'customerId' IS DISTINCT FROM $1")}
        WHERE b.results IS NOT NULL
          AND jsonb_path_exists(b.results, '$.triggers[*].samples[*] ? (@.customerId == $c)',
                                jsonb_build_object('c', $1::text))`,
      [customerId],
    );
    return r.rowCount ?? 0;
  }

  /** Cancels a live job; false when it had already ended. */
  async cancel(id: string): Promise<boolean> {
    const r = await this.pool.query(
      `UPDATE backtests SET state = 'cancelled', finished_at = now(), ${ENDED} WHERE id = $1 AND ${LIVE}`,
      [id],
    );
    return r.rowCount === 1;
  }
}
