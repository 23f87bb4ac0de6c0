import type { Pool } from 'pg';

/**
 * Rebuilds `results.triggers[*].samples` without the customer's samples, keeping every other
 * sample in its order. Only rows whose samples name the customer are touched (the jsonpath
 * filter), so the count returned is the number of backtests that held them.
 */
const ERASE_SAMPLES = `
UPDATE backtests b
   SET results = jsonb_set(b.results, '{triggers}', coalesce((
         SELECT jsonb_agg(
                  jsonb_set(t.value, '{samples}', (
                    SELECT coalesce(jsonb_agg(s.value ORDER BY s.ordinality), '[]'::jsonb)
                      FROM jsonb_array_elements(t.value -> 'samples') WITH ORDINALITY AS s
                     WHERE s.value ->> 'customerId' IS DISTINCT FROM $1))
                  ORDER BY t.ordinality)
           FROM jsonb_array_elements(b.results -> 'triggers') WITH ORDINALITY AS t), '[]'::jsonb))
 WHERE b.results IS NOT NULL
   AND jsonb_path_exists(b.results, '$.triggers[*].samples[*] ? (@.customerId == $c)',
                         jsonb_build_object('c', $1::text))`;

/**
 * Removes a customer's sample matches (their id, bound events and properties) from the stored
 * results of every backtest. The backtests table has no `customer_id` column, so the row sweep
 * of the erasure does not reach it. The counts stay: they hold no identity. One statement, so a
 * backtest is either cleaned whole or not at all. Returns how many backtests were changed.
 */
export async function eraseBacktestSamples(pool: Pool, customerId: string): Promise<number> {
  const r = await pool.query(ERASE_SAMPLES, [customerId]);
  return r.rowCount ?? 0;
}
