import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  BROADCAST_WORKFLOW_TYPE,
  broadcastEventId,
  broadcastWorkflowId,
  customerWorkflowId,
  journeyQuery,
} from '@kairos/contracts';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../../test/support/temporal-env';
import { http, startKitWorker, startTestGateway, type RunningGateway } from '@kairos/testing';

type View = { state: string; matched: number; delivered: number; skipped: number; failed: number };

describe('broadcasts (real Postgres, real Temporal test server, real worker)', () => {
  let env: TestWorkflowEnvironment;
  let gw: RunningGateway;
  let worker: Awaited<ReturnType<typeof startKitWorker>>;
  let key: string;
  const taskQueue = `broadcasts-${randomUUID()}`;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    gw = await startTestGateway({ databaseUrl: testDatabaseUrl(), temporalAddress: env.address, taskQueue });
    worker = await startKitWorker(env.nativeConnection, gw.pool, taskQueue);
    key = await gw.key(['broadcasts:write', 'events:write']);
  });

  afterAll(async () => {
    await worker?.stop();
    await gw?.close();
    await env?.teardown();
  });

  /** Customers with these attributes, all tagged with a suite marker only this test uses. */
  async function customers(suite: string, attrs: Record<string, unknown>[]): Promise<string[]> {
    const ids = attrs.map((_, i) => `${suite}-c${i}`);
    await gw.pool.query(
      `INSERT INTO customers (customer_id, profile) SELECT * FROM unnest($1::text[], $2::jsonb[])`,
      [ids, attrs.map((a) => JSON.stringify({ attributes: { suite, ...a } }))],
    );
    return ids;
  }

  const post = (body: unknown, as = key) => http(gw.url, 'POST', '/v1/broadcasts', { key: as, body });
  const get = async (id: string): Promise<View> =>
    (await http(gw.url, 'GET', `/v1/broadcasts/${id}`, { key })).body as View;
  const finished = (id: string) => env.client.workflow.getHandle(broadcastWorkflowId(id)).result();
  const recorded = async (id: string): Promise<string[]> =>
    (
      await gw.pool.query<{ customer_id: string }>(
        'SELECT customer_id FROM journey_events WHERE event_id = $1 ORDER BY customer_id',
        [broadcastEventId(id)],
      )
    ).rows.map((r) => r.customer_id);
  const journeyCounters = async (customerId: string) =>
    (await env.client.workflow.getHandle(customerWorkflowId(customerId)).query(journeyQuery)).counters;

  it('answers 400 naming each bad field, and 403 without the broadcasts:write scope', async () => {
    const bad = await post({
      id: 'has space',
      name: 'price.dropped',
      audience: { where: { path: 'properties.x', op: 'eq', value: 1 }, customers: ['a'] },
      ratePerSecond: 0,
    });
    expect(bad.status).toBe(400);
    const paths = (bad.body.errors as { path: string; message: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['audience', 'audience.where.path', 'id', 'ratePerSecond']);
    const none = await post({ id: 'b1', name: 'price.dropped', audience: {} });
    expect(none.status).toBe(400);
    expect(none.body.errors).toEqual([
      {
        path: 'audience',
        message: 'must have either "where" (a profile predicate) or "customers" (a list of ids)',
      },
    ]);
    const reader = await gw.key(['journeys:read']);
    const denied = await post({ id: 'b2', name: 'x', audience: { customers: ['a'] } }, reader);
    expect(denied.status).toBe(403);
    expect((await http(gw.url, 'GET', '/v1/broadcasts/nope', { key })).status).toBe(404);
  });

  it('delivers to exactly the customers the predicate selects, once each; a repeat POST is a duplicate, another body 409', async () => {
    const suite = `bp${randomUUID().slice(0, 8)}`;
    const ids = await customers(suite, [
      { plan: 'pro', score: 12 },
      { plan: 'pro', score: 9 },
      { plan: 'free', score: 50 },
      { plan: 'pro', score: '20' },
      { plan: 'pro', score: 10 },
    ]);
    const body = {
      id: `${suite}-drop`,
      name: 'price.dropped',
      properties: { sku: 'sku-1', price: 9.5 },
      audience: {
        where: {
          op: 'and',
          args: [
            { path: 'profile.attributes.suite', op: 'eq', value: suite },
            { path: 'profile.attributes.plan', op: 'eq', value: 'pro' },
            { path: 'profile.attributes.score', op: 'gte', value: 10 },
          ],
        },
      },
      startJourneys: true,
    };
    const first = await post(body);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ id: body.id, status: 'accepted', workflowId: `broadcast:${body.id}` });
    expect(await finished(body.id)).toEqual({
      state: 'completed',
      matched: 2,
      delivered: 2,
      skipped: 0,
      failed: 0,
    });
    expect(await recorded(body.id)).toEqual([ids[0], ids[4]]);
    expect(await get(body.id)).toMatchObject({ state: 'completed', matched: 2, delivered: 2, failed: 0 });
    for (const c of [ids[0]!, ids[4]!])
      expect(await journeyCounters(c)).toMatchObject({ events: 1, duplicates: 0 });

    const again = await post(body);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ status: 'duplicate', state: 'completed', delivered: 2 });
    const other = await post({ ...body, name: 'price.raised' });
    expect(other.status).toBe(409);
    expect(other.body.type).toBe('https://kairos.dev/problems/broadcast-conflict');
  });

  it('leaves out customers without a journey unless startJourneys; activeWithin keeps recently active ones', async () => {
    const suite = `bj${randomUUID().slice(0, 8)}`;
    const [active, quiet] = await customers(suite, [{}, {}]);
    const event = await http(gw.url, 'POST', '/v1/events', {
      key,
      body: { id: `${suite}-e1`, customerId: active, name: 'cart.updated', properties: { cart_id: 'k' } },
    });
    expect(event.body.status).toBe('accepted');
    const where = { path: 'profile.attributes.suite', op: 'eq', value: suite };

    expect((await post({ id: `${suite}-a`, name: 'storm.warning', audience: { where } })).status).toBe(202);
    expect(await finished(`${suite}-a`)).toEqual({
      state: 'completed',
      matched: 2,
      delivered: 1,
      skipped: 1,
      failed: 0,
    });
    expect(await recorded(`${suite}-a`)).toEqual([active]);

    const recent = { where, activeWithin: '1h' };
    expect(
      (await post({ id: `${suite}-b`, name: 'storm.warning', audience: recent, startJourneys: true })).status,
    ).toBe(202);
    expect(await finished(`${suite}-b`)).toMatchObject({ matched: 1, delivered: 1 });
    expect(await recorded(`${suite}-b`)).toEqual([active]);
    expect(await journeyCounters(quiet!).catch(() => 'no journey')).toBe('no journey');
  });

  it('a redelivery of the same broadcast (a crash replayed) is dropped by the journey and journey_events', async () => {
    const suite = `br${randomUUID().slice(0, 8)}`;
    const ids = await customers(suite, [{}, {}, {}]);
    const id = `${suite}-x`;
    await post({ id, name: 'stock.back', audience: { customers: ids }, startJourneys: true });
    expect(await finished(id)).toMatchObject({ state: 'completed', delivered: 3 });
    // Replay the whole delivery, as a retry after a crash before the cursor moved would.
    await gw.pool.query(
      `UPDATE broadcasts SET state = 'running', after_customer = NULL, matched = 0, delivered = 0 WHERE broadcast_id = $1`,
      [id],
    );
    await env.client.workflow.execute(BROADCAST_WORKFLOW_TYPE, {
      workflowId: `${broadcastWorkflowId(id)}:replayed`,
      taskQueue,
      args: [{ v: 1, broadcastId: id }],
    });
    expect(await recorded(id)).toEqual(ids);
    for (const c of ids) expect(await journeyCounters(c)).toMatchObject({ events: 1, duplicates: 1 });
  });

  it('cancel stops a running broadcast; journey_events holds only the customers reached; a second cancel is 409', async () => {
    const suite = `bc${randomUUID().slice(0, 8)}`;
    const ids = Array.from({ length: 300 }, (_, i) => `${suite}-${String(i).padStart(3, '0')}`);
    const id = `${suite}-slow`;
    const started = await post({
      id,
      name: 'stock.back',
      audience: { customers: ids },
      ratePerSecond: 20,
      startJourneys: true,
    });
    expect(started.status).toBe(202);
    for (let t = Date.now(); (await get(id)).delivered === 0 && Date.now() - t < 15_000;)
      await new Promise((r) => setTimeout(r, 100));
    const cancel = await http(gw.url, 'POST', `/v1/broadcasts/${id}/cancel`, { key });
    expect(cancel.status).toBe(202);
    expect(cancel.body.cancelRequestedAt).toEqual(expect.any(String));
    await expect(finished(id)).rejects.toThrow();
    const view = await get(id);
    expect(view.state).toBe('cancelled');
    expect(view.delivered).toBeGreaterThan(0);
    expect(view.delivered).toBeLessThan(300);
    expect((await recorded(id)).length).toBe(view.delivered);
    expect((await http(gw.url, 'POST', `/v1/broadcasts/${id}/cancel`, { key })).status).toBe(409);
  });
});
