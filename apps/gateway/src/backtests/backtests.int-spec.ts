import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { BACKTEST_WORKFLOW_TYPE, backtestWorkflowId } from '@kairos/contracts';
import { JourneyEventsRepository } from '@kairos/persistence';
import { cartDraft, http, startKitWorker, startTestGateway, type RunningGateway } from '@kairos/testing';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../../test/support/temporal-env';
import type { BacktestTrace, BacktestView } from './backtest.schemas';

const MIN = 60_000;
const DAY = 86_400_000;

/** The fixture's abandoned cart (2h), as a draft with another id and window. */
describe('backtests (real Postgres, real Temporal test server, real worker)', () => {
  let env: TestWorkflowEnvironment;
  let gw: RunningGateway;
  let worker: Awaited<ReturnType<typeof startKitWorker>> | null = null;
  let key: string;
  const taskQueue = `backtests-${randomUUID()}`;
  const p = `bt${randomUUID().slice(0, 8)}`;
  // A day of this run's own (customers are this suite's only, so other suites' events never count).
  const day0 = Date.UTC(2001, 0, 1) + Math.floor(Math.random() * 1000) * DAY;
  const customers = [`${p}-ana`, `${p}-bob`, `${p}-cy`];

  const post = (body: unknown, as = key) => http(gw.url, 'POST', '/v1/backtests', { key: as, body });
  const get = async (id: string): Promise<BacktestView> =>
    (await http(gw.url, 'GET', `/v1/backtests/${id}`, { key })).body as BacktestView;
  const range = { from: new Date(day0).toISOString(), to: new Date(day0 + DAY).toISOString() };

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    gw = await startTestGateway({ databaseUrl: testDatabaseUrl(), temporalAddress: env.address, taskQueue });
    key = await gw.key(['triggers:backtest']);
    const at = (m: number) => new Date(day0 + m * MIN);
    const row = (customerId: string, eventId: string, name: string, m: number, properties = {}) => ({
      customerId,
      eventId,
      name,
      occurredAt: at(m),
      receivedAt: at(m),
      workflowId: `customer:${customerId}`,
      properties,
    });
    await new JourneyEventsRepository(gw.pool).recordAll([
      // ana: a cart, no order: matches both windows.
      row(customers[0]!, 'a1', 'cart.updated', 60, { cart_value: 10 }),
      // bob: a cart, an order after 45 minutes: only the 30-minute window matches.
      row(customers[1]!, 'b1', 'cart.updated', 60, { cart_value: 10 }),
      row(customers[1]!, 'b2', 'order.placed', 105),
      // cy: an order 10 minutes after the cart: neither.
      row(customers[2]!, 'c1', 'cart.updated', 60, { cart_value: 10 }),
      row(customers[2]!, 'c2', 'order.placed', 70),
      // outside the range: never read.
      row(customers[0]!, 'a0', 'cart.updated', -10, { cart_value: 10 }),
    ]);
  });

  afterAll(async () => {
    await worker?.stop();
    await gw?.close();
    await env?.teardown();
  });

  it('refuses bad definitions with the validator’s messages, unknown ids, and keys without the scope', async () => {
    const bad = await post({ triggers: ['nope', cartDraft('d', '2h')], ...range });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      { path: 'triggers[0]', message: expect.stringContaining('no loaded trigger') },
    ]);
    const invalid = await post({ triggers: [cartDraft('d', 'soon')], ...range });
    expect(invalid.status).toBe(400);
    expect((invalid.body.errors as { path: string }[]).map((e) => e.path)).toEqual([
      'triggers[0].pattern.steps[1].for',
    ]);
    const backwards = await post({ triggers: ['abandoned-cart'], from: range.to, to: range.from });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors[0].path).toBe('to');
    const reader = await gw.key(['journeys:read']);
    expect((await post({ triggers: ['abandoned-cart'], ...range }, reader)).status).toBe(403);
  });

  it('cancels a queued backtest: it stays cancelled when a worker comes', async () => {
    const accepted = await post({ triggers: ['abandoned-cart'], ...range, customers });
    expect(accepted.status).toBe(202);
    const id = accepted.body.id as string;
    const cancel = await http(gw.url, 'POST', `/v1/backtests/${id}/cancel`, { key });
    expect(cancel).toMatchObject({ status: 202, body: { id, state: 'cancelled' } });
    expect((await http(gw.url, 'POST', `/v1/backtests/${id}/cancel`, { key })).status).toBe(409);
    worker = await startKitWorker(env.nativeConnection, gw.pool, taskQueue);
    await expect(env.client.workflow.getHandle(backtestWorkflowId(id)).result()).rejects.toThrow();
    expect((await get(id)).state).toBe('cancelled');
  });

  it('runs a loaded trigger and a draft over the stored events, with results, samples and a trace', async () => {
    worker ??= await startKitWorker(env.nativeConnection, gw.pool, taskQueue);
    const accepted = await post({
      triggers: ['abandoned-cart', cartDraft('cart-30m', '30m')],
      ...range,
      customers,
    });
    expect(accepted.status).toBe(202);
    const id = accepted.body.id as string;
    expect(await env.client.workflow.getHandle(backtestWorkflowId(id)).result()).toBe('completed');
    const view = await get(id);
    expect(view).toMatchObject({
      state: 'completed',
      progress: { customersDone: 3, customersTotal: 3, eventsDone: 5, fraction: 1 },
      results: { events: 5, customers: 3 },
      request: {
        triggers: [
          { id: 'abandoned-cart', draft: false },
          { id: 'cart-30m', draft: true },
        ],
      },
    });
    const [two, thirty] = view.results.triggers;
    expect(two).toMatchObject({ triggerId: 'abandoned-cart', matches: 1, customersMatched: 1 });
    expect(thirty).toMatchObject({ triggerId: 'cart-30m', matches: 2, customersMatched: 2 });
    expect(thirty!.perDay).toEqual([{ day: new Date(day0).toISOString().slice(0, 10), matches: 2 }]);
    expect(two!.samples[0]).toMatchObject({
      customerId: customers[0],
      status: 'fired',
      kind: 'absence',
      events: [{ id: 'a1', name: 'cart.updated', properties: { cart_value: 10 } }],
    });
    expect((await http(gw.url, 'POST', `/v1/backtests/${id}/cancel`, { key })).status).toBe(409);

    // Why did bob not match the 2h cart? His order killed the partial match.
    const trace = await http(gw.url, 'GET', `/v1/backtests/${id}/customers/${customers[1]}/trace`, { key });
    expect(trace.status).toBe(200);
    const t = trace.body as BacktestTrace;
    expect(t.events.map((e) => e.id)).toEqual(['b1', 'b2']);
    const brief = t.entries.map((e) =>
      `${e.triggerId} ${e.kind} ${e.cause ?? ''} ${e.eventId ?? '-'}`.trim(),
    );
    expect(brief).toEqual([
      'abandoned-cart opened  b1',
      'cart-30m opened  b1',
      'cart-30m completed  -',
      'abandoned-cart killed negative b2',
    ]);
    expect(t.entries[3]).toMatchObject({ rule: '§3.6', eventIds: ['b1'] });
  });

  it('with policy: true, holds back what the workspace policy would (no stored profile: no consent)', async () => {
    worker ??= await startKitWorker(env.nativeConnection, gw.pool, taskQueue);
    const accepted = await post({ triggers: ['abandoned-cart'], ...range, customers, policy: true });
    const id = accepted.body.id as string;
    expect(await env.client.workflow.getHandle(backtestWorkflowId(id)).result()).toBe('completed');
    const [cart] = (await get(id)).results.triggers;
    expect(cart).toMatchObject({ matches: 0, customersMatched: 0, suppressed: { consent: 1 } });
    expect(cart!.samples[0]).toMatchObject({ status: 'suppressed', reason: 'consent' });
  });

  it('resumes after the last checkpoint of an interrupted run, counting nobody twice', async () => {
    worker ??= await startKitWorker(env.nativeConnection, gw.pool, taskQueue);
    const run = async (body: Record<string, unknown>): Promise<string> => {
      const id = (
        await post({ triggers: ['abandoned-cart', cartDraft('cart-30m', '30m')], ...range, ...body })
      ).body.id as string;
      expect(await env.client.workflow.getHandle(backtestWorkflowId(id)).result()).toBe('completed');
      return id;
    };
    const whole = await run({ customers });
    // What an attempt that died after counting the first customer (ana) left in its row.
    const first = await run({ customers: [customers[0]] });
    const resumed = `bt_${randomUUID().replace(/-/g, '')}`;
    await gw.pool.query(
      `INSERT INTO backtests (id, state, request, spec, progress, results, checkpoint, started_at)
       SELECT $1, 'running', w.request, w.spec, f.progress, f.results, $2, now()
       FROM backtests w, backtests f WHERE w.id = $3 AND f.id = $4`,
      [resumed, customers[0], whole, first],
    );
    await env.client.workflow.start(BACKTEST_WORKFLOW_TYPE, {
      workflowId: backtestWorkflowId(resumed),
      taskQueue,
      args: [{ v: 1, backtestId: resumed }],
    });
    expect(await env.client.workflow.getHandle(backtestWorkflowId(resumed)).result()).toBe('completed');
    const [a, b] = [await get(whole), await get(resumed)];
    expect(b.results).toEqual(a.results);
    expect(b.progress).toEqual(a.progress);
  });

  it('serves the live journey’s recent decisions', async () => {
    worker ??= await startKitWorker(env.nativeConnection, gw.pool, taskQueue);
    const writer = await gw.key(['events:write', 'journeys:read']);
    const customerId = `${p}-live`;
    const sent = await http(gw.url, 'POST', '/v1/events', {
      key: writer,
      body: { id: 'l1', customerId, name: 'cart.updated', properties: { cart_id: 'k1', cart_value: 5 } },
    });
    expect(sent.status).toBe(202);
    let entries: { kind: string; triggerId: string; eventId: string | null; at: string }[] = [];
    for (let i = 0; i < 50 && entries.length === 0; i++) {
      const r = await http(gw.url, 'GET', `/v1/customers/${customerId}/journey/trace`, { key: writer });
      expect(r.status).toBe(200);
      entries = r.body.entries;
      if (entries.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(entries[0]).toMatchObject({ kind: 'opened', triggerId: 'abandoned-cart', eventId: 'l1' });
    expect(Date.parse(entries[0]!.at)).toBeGreaterThan(0);
    const none = await http(gw.url, 'GET', `/v1/customers/${p}-nobody/journey/trace`, { key: writer });
    expect(none.status).toBe(404);
    expect((await http(gw.url, 'GET', `/v1/customers/${customerId}/journey/trace`, { key })).status).toBe(
      403,
    );
  });

  it('answers 404 for an unknown backtest and 400 for an id that cannot be one', async () => {
    const missing = await http(gw.url, 'GET', `/v1/backtests/bt_${'0'.repeat(32)}`, { key });
    expect(missing.status).toBe(404);
    expect(missing.body.type).toMatch(/backtest-not-found$/);
    expect((await http(gw.url, 'GET', '/v1/backtests/nope', { key })).status).toBe(400);
  });
});
