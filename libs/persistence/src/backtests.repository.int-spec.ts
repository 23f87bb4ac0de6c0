// A running backtest keeps its tally in memory and saves it whole (docs/api.md §11): the save must
// not write back the samples of a customer erased meanwhile (§4.5), and an ended job must not keep
// the last customer id it counted.
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { BacktestsRepository } from './backtests.repository';
import { ErasureRepository } from './erasure.repository';
import { createPool } from './pool';

const progress = { customersDone: 3, customersTotal: 3, eventsDone: 3 };

/** A sample as the worker's tally holds it (only the fields the save looks at matter). */
const sample = (customerId: string) => ({
  customerId,
  matchId: `m-${customerId}`,
  kind: 'absence',
  key: 'k1',
  matchedAt: '2026-11-23T12:00:00.000Z',
  status: 'fired',
  bindings: { cart: [`${customerId}-cart`] },
  events: [{ id: `${customerId}-cart`, name: 'cart.updated', ts: '2026-11-23T10:00:00.000Z' }],
});

/** The tally of three customers who each matched both triggers once. */
const tallyOf = (customers: string[]) => ({
  events: customers.length,
  customers: customers.length,
  duplicates: 0,
  late: 0,
  rejected: 0,
  triggers: ['abandoned-cart', 'cart-30m'].map((triggerId) => ({
    triggerId,
    version: 1,
    matches: customers.length,
    suppressed: { arbitration: 0, reentry: 0, caps: 0, quietHours: 0, minimumGap: 0, consent: 0 },
    customersMatched: customers.length,
    perDay: { '2026-11-23': customers.length },
    samples: customers.map(sample),
  })),
});

describe('BacktestsRepository (real Postgres)', () => {
  let pool: Pool;
  let jobs: BacktestsRepository;
  let erasures: ErasureRepository;
  const p = `btr${randomUUID().slice(0, 8)}`;
  // A non-ASCII id: the save hashes the id's UTF-8 bytes as the erasure record does.
  const [ana, zoe, bob] = [`${p}-ana`, `${p}-zoë`, `${p}-bob`];
  const by = { keyId: 'k_test', keyName: 'privacy-officer' };
  const summary = { rows: {}, files: 0, workflowRuns: 0 };
  const created: string[] = [];

  /** A backtest created and started (running), as the worker leaves it before its first save. */
  const running = async (): Promise<string> => {
    const id = `bt_${randomUUID().replace(/-/g, '')}`;
    await jobs.create(id, { from: 0 }, { from: 0 });
    created.push(id);
    expect(await jobs.start(id, 3)).not.toBeNull();
    return id;
  };
  const sampled = async (id: string): Promise<string[][]> => {
    const row = await jobs.get(id);
    return (row!.results as ReturnType<typeof tallyOf>).triggers.map((t) =>
      t.samples.map((s) => s.customerId),
    );
  };

  beforeAll(() => {
    pool = createPool(process.env.KAIROS_TEST_DATABASE_URL as string, 'backtests-repository', 2);
    jobs = new BacktestsRepository(pool);
    erasures = new ErasureRepository(pool);
  });
  afterAll(async () => {
    await pool.query('DELETE FROM backtests WHERE id = ANY($1)', [created]);
    await pool.end();
  });

  it("a save after an erasure drops the erased customers' samples and keeps the others and the counts", async () => {
    const id = await running();
    const tally = tallyOf([ana, bob, zoe]);
    expect(await jobs.checkpoint(id, progress, tally, bob)).toBe(true);
    expect(await sampled(id)).toEqual([
      [ana, bob, zoe],
      [ana, bob, zoe],
    ]);

    // Erased while the run goes on: its next save still holds them in memory.
    await erasures.record(ana, by, summary);
    await erasures.record(zoe, by, summary);
    expect(await jobs.checkpoint(id, progress, tally, zoe)).toBe(true);
    const row = await jobs.get(id);
    expect(await sampled(id)).toEqual([[bob], [bob]]);
    expect(row!.results).toEqual({
      ...tally,
      triggers: tally.triggers.map((t) => ({ ...t, samples: [sample(bob)] })),
    });
    expect(JSON.stringify(row!.results)).not.toContain(`${ana}-cart`);
    expect(row!.checkpoint).toBe(zoe);
  });

  it('keeps the samples of a customer erased before the job started (their new events were counted)', async () => {
    const back = `${p}-back`;
    await pool.query(
      `INSERT INTO erasures (customer_hash, key_id, key_name, summary, erased_at)
       VALUES (encode(sha256(convert_to($1, 'UTF8')), 'hex'), 'k_test', 'privacy-officer', '{}', now() - interval '1 hour')`,
      [back],
    );
    const id = await running();
    expect(await jobs.checkpoint(id, progress, tallyOf([back, bob]), bob)).toBe(true);
    expect(await sampled(id)).toEqual([
      [back, bob],
      [back, bob],
    ]);
  });

  it('clears the checkpoint when the job ends (completed, failed or cancelled), not while it runs', async () => {
    const ended: string[] = [];
    for (const end of [
      (id: string) => jobs.finish(id, 'completed'),
      (id: string) => jobs.finish(id, 'failed', 'boom'),
      (id: string) => jobs.cancel(id),
    ]) {
      const id = await running();
      expect(await jobs.checkpoint(id, progress, tallyOf([bob]), bob)).toBe(true);
      // A restarted attempt resumes from it.
      expect((await jobs.start(id, 3))!.checkpoint).toBe(bob);
      expect(await end(id)).toBe(true);
      ended.push(id);
    }
    const rows = await Promise.all(ended.map((id) => jobs.get(id)));
    expect(rows.map((r) => [r!.state, r!.checkpoint])).toEqual([
      ['completed', null],
      ['failed', null],
      ['cancelled', null],
    ]);
    // The results (counts and the samples of customers not erased) stay.
    expect(rows.map((r) => (r!.results as ReturnType<typeof tallyOf>).customers)).toEqual([1, 1, 1]);
  });
});
