import type { Pool } from 'pg';

/** One stored score: `scores.<model>` on the customer record (docs/models.md §5). */
export type StoredScore = { value: number; at: string; version: number };

/** Scores beside the customer profiles (column `customers.scores`) and the scoring watermark. */
export class ModelScoresRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * Writes the scores that differ from the stored ones (value or version) and returns the
   * customers whose value changed: those whose journeys are told. A customer with events but no
   * profile gets a record holding only its scores.
   */
  async write(
    modelId: string,
    version: number,
    at: Date,
    scores: readonly { customerId: string; value: number }[],
  ): Promise<string[]> {
    if (scores.length === 0) return [];
    const r = await this.pool.query<{ customer_id: string; moved: boolean }>(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::float8[]) AS t(customer_id, value)
       ), old AS (
         SELECT c.customer_id, (c.scores->$3->>'value')::float8 AS value, (c.scores->$3->>'version')::int AS version
           FROM customers c JOIN input USING (customer_id)
       ), changed AS (
         SELECT i.customer_id, i.value, o.value IS DISTINCT FROM i.value AS moved
           FROM input i LEFT JOIN old o USING (customer_id)
          WHERE o.value IS DISTINCT FROM i.value OR o.version IS DISTINCT FROM $4::int
       ), written AS (
         INSERT INTO customers (customer_id, scores)
         SELECT customer_id, jsonb_build_object($3::text, jsonb_build_object('value', value, 'at', $5::text, 'version', $4::int))
           FROM changed
         ON CONFLICT (customer_id) DO UPDATE SET scores = customers.scores || EXCLUDED.scores
         RETURNING customer_id
       )
       SELECT w.customer_id, c.moved FROM written w JOIN changed c USING (customer_id)`,
      [scores.map((s) => s.customerId), scores.map((s) => s.value), modelId, version, at.toISOString()],
    );
    return r.rows.filter((x) => x.moved).map((x) => x.customer_id);
  }

  /** Every score of a customer (`{}` when none), or null without a customer record. */
  async get(customerId: string): Promise<Record<string, StoredScore> | null> {
    const r = await this.pool.query<{ scores: Record<string, StoredScore> }>(
      'SELECT scores FROM customers WHERE customer_id = $1',
      [customerId],
    );
    return r.rows[0]?.scores ?? null;
  }

  /**
   * The score distribution of a model in `bins` equal bins of [0, 1]: customers and the sum of
   * their scores per bin (with calibrated scores, the sum is the expected number of positives).
   */
  async distribution(modelId: string, bins = 20): Promise<{ bin: number; customers: number; sum: number }[]> {
    const r = await this.pool.query<{ bin: number; customers: string; sum: number }>(
      `SELECT least(width_bucket((scores->$1->>'value')::float8, 0, 1, $2), $2) - 1 AS bin,
              count(*) AS customers, sum((scores->$1->>'value')::float8) AS sum
         FROM customers WHERE scores ? $1 GROUP BY 1 ORDER BY 1`,
      [modelId, bins],
    );
    return r.rows.map((x) => ({ bin: x.bin, customers: Number(x.customers), sum: x.sum }));
  }

  /** Until when events were scored between trainings (null: never). */
  async mark(modelId: string): Promise<Date | null> {
    const r = await this.pool.query<{ scored_until: Date }>(
      'SELECT scored_until FROM model_scoring_marks WHERE model_id = $1',
      [modelId],
    );
    return r.rows[0]?.scored_until ?? null;
  }

  async setMark(modelId: string, until: Date): Promise<void> {
    await this.pool.query(
      `INSERT INTO model_scoring_marks (model_id, scored_until) VALUES ($1, $2)
       ON CONFLICT (model_id) DO UPDATE SET scored_until = greatest(model_scoring_marks.scored_until, EXCLUDED.scored_until)`,
      [modelId, until],
    );
  }
}
