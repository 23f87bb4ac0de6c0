// A customer erased (docs/api.md §4.5) while a backtest runs: the run has already counted them
// in memory, and its saves must not write their samples back (§11).
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { BacktestsRepository, createPool, ErasureRepository } from '@kairos/persistence';
import { cartDraft, recordCarts } from '@kairos/testing';
import type { BacktestResults } from '@kairos/triggers';
import { testDatabaseUrl } from '../../../../test/support/temporal-env';
import { createBacktestActivities } from './backtest.activities';

const MIN = 60_000;
const DAY = 86_400_000;

/** An abandoned cart with a 30-minute window: each customer below matches it once. */
const cart30m = cartDraft('cart-30m', '30m');

/** The pool, but `before` runs (once) ahead of the first statement that saves a backtest's results. */
function beforeFirstSave(pool: Pool, before: () => Promise<void>): Pool {
  let pending: (() => Promise<void>) | null = before;
  const query = async (...args: Parameters<Pool['query']>) => {
    if (pending && typeof args[0] === 'string' && /UPDATE backtests\b[\s\S]*\bresults =/.test(args[0])) {
      const run = pending;
      pending = null;
      await run();
    }
    return (pool.query as (...a: unknown[]) => unknown)(...args);
  };
  return new Proxy(pool, {
    get: (target, prop): unknown => (prop === 'query' ? query : Reflect.get(target, prop, target)),
  });
}

describe('a backtest running while a customer is erased (real Postgres)', () => {
  let pool: Pool;
  const p = `be${randomUUID().slice(0, 8)}`;
  const day0 = Date.UTC(2003, 0, 1) + Math.floor(Math.random() * 1000) * DAY;
  const [ana, bob] = [`${p}-ana`, `${p}-bob`];
  const id = `bt_${randomUUID().replace(/-/g, '')}`;

  beforeAll(async () => {
    pool = createPool(testDatabaseUrl(), 'backtest-erasure', 4);
    const at = new Date(day0 + 60 * MIN);
    await recordCarts(pool, [ana, bob], at);
  });
  afterAll(async () => {
    await pool.query('DELETE FROM backtests WHERE id = $1', [id]);
    await pool.query('DELETE FROM journey_events WHERE customer_id = ANY($1)', [[ana, bob]]);
    await pool.end();
  });

  it("saves without the erased customer's samples, keeps the others' and the counts, and ends without a checkpoint", async () => {
    const jobs = new BacktestsRepository(pool);
    const spec = { triggers: [cart30m], from: day0, to: day0 + DAY, customers: [ana, bob], policy: null };
    await jobs.create(id, { triggers: [cart30m] }, spec);
    // Both customers are counted within the first second, so the first save is the final one:
    // the erasure (rows, then its record) lands after ana was counted and before that save.
    const erasures = new ErasureRepository(pool);
    const erase = async () => {
      await erasures.deleteRows(ana);
      await erasures.record(
        ana,
        { keyId: 'k_test', keyName: 'privacy-officer' },
        {
          rows: {},
          files: 0,
          workflowRuns: 0,
        },
      );
    };
    const activities = createBacktestActivities({ pool: beforeFirstSave(pool, erase) });
    const outcome = await new MockActivityEnvironment().run(activities.runBacktest, { backtestId: id });
    expect(outcome).toEqual({ state: 'completed' });

    const row = await jobs.get(id);
    const results = row!.results as BacktestResults;
    expect(results.triggers.map((t) => t.samples.map((s) => s.customerId))).toEqual([[bob]]);
    expect(JSON.stringify(results)).not.toContain(ana);
    // Counts are not personal data: both customers stay counted.
    expect([results.customers, results.triggers[0]!.matches, results.triggers[0]!.customersMatched]).toEqual([
      2, 2, 2,
    ]);
    expect([row!.state, row!.checkpoint]).toEqual(['completed', null]);
  });
});
