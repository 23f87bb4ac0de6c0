import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { backtestWorkflowId } from '@kairos/contracts';
import { ErasureRepository } from '@kairos/persistence';
import {
  cartDraft,
  http,
  recordCarts,
  startKitWorker,
  startTestGateway,
  type RunningGateway,
} from '@kairos/testing';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../../test/support/temporal-env';
import type { BacktestView } from '../backtests/backtest.schemas';

const MIN = 60_000;
const DAY = 86_400_000;

/** The fixture's abandoned cart with a 30-minute window, as a draft. */
const cart30m = cartDraft('cart-30m', '30m');

// Customers without a journey (their events are stored directly), so the time-skipping server,
// which cannot delete histories, has no run to delete and the erasure goes through.
describe('DELETE /v1/customers/{id} reaches backtest results (real Postgres, real Temporal test server)', () => {
  let env: TestWorkflowEnvironment;
  let gw: RunningGateway;
  let worker: Awaited<ReturnType<typeof startKitWorker>>;
  let backtester: string;
  let eraser: string;
  const taskQueue = `erasure-backtests-${randomUUID()}`;
  const p = `eb${randomUUID().slice(0, 8)}`;
  const day0 = Date.UTC(2002, 0, 1) + Math.floor(Math.random() * 1000) * DAY;
  const [ana, bob] = [`${p}-ana`, `${p}-bob`];
  const range = { from: new Date(day0).toISOString(), to: new Date(day0 + DAY).toISOString() };

  const run = async (body: Record<string, unknown>): Promise<string> => {
    const accepted = await http(gw.url, 'POST', '/v1/backtests', {
      key: backtester,
      body: { ...range, ...body },
    });
    expect(accepted.status).toBe(202);
    const id = accepted.body.id as string;
    expect(await env.client.workflow.getHandle(backtestWorkflowId(id)).result()).toBe('completed');
    return id;
  };
  const view = async (id: string): Promise<BacktestView> =>
    (await http(gw.url, 'GET', `/v1/backtests/${id}`, { key: backtester })).body as BacktestView;
  const sampled = (v: BacktestView): string[][] =>
    v.results.triggers.map((t) => t.samples.map((s) => s.customerId));
  const erase = (customerId: string) =>
    http(gw.url, 'DELETE', `/v1/customers/${customerId}`, { key: eraser });

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    gw = await startTestGateway({ databaseUrl: testDatabaseUrl(), temporalAddress: env.address, taskQueue });
    backtester = await gw.key(['triggers:backtest']);
    eraser = await gw.key(['customers:erase'], 'privacy-officer');
    worker = await startKitWorker(env.nativeConnection, gw.pool, taskQueue);
    const at = new Date(day0 + 60 * MIN);
    // Both leave a cart without an order: both match the 2h and the 30m cart.
    await recordCarts(gw.pool, [ana, bob], at);
  });

  afterAll(async () => {
    await worker?.stop();
    await gw?.close();
    await env?.teardown();
  });

  it("removes the customer's samples from every backtest, keeps the others' and the counts, and reports it", async () => {
    const both = await run({ triggers: ['abandoned-cart', cart30m], customers: [ana, bob] });
    const anaOnly = await run({ triggers: [cart30m], customers: [ana] });
    const before = await view(both);
    expect(sampled(before)).toEqual([
      [ana, bob],
      [ana, bob],
    ]);
    expect(sampled(await view(anaOnly))).toEqual([[ana]]);

    const erased = await erase(ana);
    expect([erased.status, erased.status === 200 ? '' : erased.text]).toEqual([200, '']);
    expect(erased.body).toMatchObject({ customerId: ana, rows: { journey_events: 1, backtests: 2 } });
    const [record] = await new ErasureRepository(gw.pool).listFor(ana);
    expect(record!.rows).toMatchObject({ backtests: 2 });

    const after = await view(both);
    expect(sampled(after)).toEqual([[bob], [bob]]);
    expect(after.results.triggers[0]!.samples[0]).toEqual(before.results.triggers[0]!.samples[1]);
    // Counts are not personal data: they stay as the run left them.
    expect(after.results.triggers.map((t) => [t.triggerId, t.matches, t.customersMatched])).toEqual([
      ['abandoned-cart', 2, 2],
      ['cart-30m', 2, 2],
    ]);
    expect({ ...after.results, triggers: [] }).toEqual({ ...before.results, triggers: [] });
    const alone = await view(anaOnly);
    expect(sampled(alone)).toEqual([[]]);
    expect(alone.results.triggers[0]!.matches).toBe(1);

    // Neither the id nor the bound event is left in any stored result; bob's are.
    const left = await gw.pool.query<{ id: string }>(
      'SELECT id FROM backtests WHERE strpos(results::text, $1) > 0 OR strpos(results::text, $2) > 0',
      [ana, `${ana}-cart`],
    );
    expect(left.rows).toEqual([]);
    const kept = await gw.pool.query<{ id: string }>(
      'SELECT id FROM backtests WHERE strpos(results::text, $1) > 0 ORDER BY id',
      [`${bob}-cart`],
    );
    expect(kept.rows.map((r) => r.id)).toEqual([both]);

    // Erasing again finds nothing left to remove.
    const again = await erase(ana);
    expect(again.status).toBe(200);
    expect(again.body.rows).toEqual({});
  });
});
