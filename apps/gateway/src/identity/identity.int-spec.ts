import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { customerWorkflowId } from '@kairos/contracts';
import { http, startKitWorker, startTestGateway, type RunningGateway } from '@kairos/testing';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../../test/support/temporal-env';

const basic = (key: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
});

type View = {
  recentEvents: { id: string; name: string }[];
  counters: { events: number; duplicates: number };
};

describe('anonymous visitor → known customer through the Segment routes (real Postgres, Temporal, worker)', () => {
  let env: TestWorkflowEnvironment;
  let gw: RunningGateway;
  let worker: Awaited<ReturnType<typeof startKitWorker>>;
  let writer: string;
  let reader: string;
  const taskQueue = `identity-${randomUUID()}`;

  const post = (route: string, body: unknown) =>
    http(gw.url, 'POST', route, { body, headers: basic(writer) });
  const rows = async (customerIds: string[]) =>
    (
      await gw.pool.query<{ customer_id: string; event_id: string }>(
        'SELECT customer_id, event_id FROM journey_events WHERE customer_id = ANY($1) ORDER BY occurred_at',
        [customerIds],
      )
    ).rows.map((r) => [r.customer_id, r.event_id]);
  const view = async (customerId: string): Promise<View | null> => {
    const res = await http(gw.url, 'GET', `/v1/customers/${customerId}/journey`, { key: reader });
    return res.status === 200 ? (res.body as View) : null;
  };
  /** The journey view once it has taken in `count` events (the worker runs on its own). */
  const viewWith = async (customerId: string, count: number): Promise<View> => {
    for (let i = 0; i < 100; i += 1) {
      const v = await view(customerId);
      if (v && v.counters.events >= count) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the journey of ${customerId} never took in ${count} events`);
  };
  const status = async (customerId: string) =>
    (await env.client.workflow.getHandle(customerWorkflowId(customerId)).describe()).status.name;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    gw = await startTestGateway({ databaseUrl: testDatabaseUrl(), temporalAddress: env.address, taskQueue });
    worker = await startKitWorker(env.nativeConnection, gw.pool, taskQueue);
    writer = await gw.key(['events:write'], 'segment-source');
    reader = await gw.key(['journeys:read'], 'reader');
  });

  afterAll(async () => {
    await gw?.close();
    await worker?.stop();
    await env?.teardown();
  });

  it('identify with both ids moves the anonymous events to the known journey, once, and ends the anonymous one', async () => {
    const anonymousId = randomUUID();
    const anon = `anon:${anonymousId}`;
    const userId = `u_${randomUUID().slice(0, 8)}`;
    const t0 = Date.parse('2026-12-01T10:00:00.000Z');
    const names = ['cart.updated', 'order.completed', 'cart.updated'];
    for (const [i, event] of names.entries()) {
      const res = await post('/v1/track', {
        anonymousId,
        event,
        messageId: `${anonymousId}-${i}`,
        timestamp: new Date(t0 + i * 60_000).toISOString(),
      });
      expect(res.status).toBe(200);
    }
    expect((await viewWith(anon, 3)).recentEvents.map((e) => e.id)).toEqual(
      names.map((_, i) => `${anonymousId}-${i}`),
    );

    const identify = { userId, anonymousId, traits: { email: 'ada@example.com' } };
    expect((await post('/v1/identify', identify)).status).toBe(200);

    const known = await viewWith(userId, 3);
    expect(known.recentEvents.map((e) => [e.id, e.name])).toEqual(
      names.map((name, i) => [`${anonymousId}-${i}`, name]),
    );
    expect(await status(anon)).toBe('TERMINATED');
    const moved = names.map((_, i) => [userId, `${anonymousId}-${i}`]);
    expect(await rows([anon, userId])).toEqual(moved);

    // The same identify again changes nothing: no row, no event, no duplicate handed over.
    expect((await post('/v1/identify', identify)).status).toBe(200);
    expect(await rows([anon, userId])).toEqual(moved);
    expect((await view(userId))?.counters).toMatchObject({ events: 3, duplicates: 0 });

    // A later message with only the anonymousId lands on the known customer.
    const later = { anonymousId, event: 'cart.updated', messageId: `${anonymousId}-later` };
    expect((await post('/v1/track', later)).status).toBe(200);
    expect((await viewWith(userId, 4)).recentEvents.map((e) => e.id)).toContain(`${anonymousId}-later`);
    expect(await rows([anon])).toEqual([]);
    expect(await status(anon)).toBe('TERMINATED');
  });

  it('an event both customers recorded (same id) is kept once; alias links anon:<previousId>', async () => {
    const anonymousId = randomUUID();
    const anon = `anon:${anonymousId}`;
    const userId = `u_${randomUUID().slice(0, 8)}`;
    const shared = { event: 'order.completed', messageId: `${anonymousId}-shared` };
    expect((await post('/v1/track', { ...shared, anonymousId })).status).toBe(200);
    expect((await post('/v1/track', { ...shared, userId })).status).toBe(200);
    expect(
      (await post('/v1/track', { anonymousId, event: 'cart.updated', messageId: `${anonymousId}-own` }))
        .status,
    ).toBe(200);

    expect((await post('/v1/alias', { userId, previousId: anonymousId })).status).toBe(200);
    expect((await rows([anon, userId])).map(([c, id]) => `${c}/${id}`).sort()).toEqual(
      [`${userId}/${anonymousId}-own`, `${userId}/${anonymousId}-shared`].sort(),
    );
    const known = await viewWith(userId, 2);
    expect(known.recentEvents.map((e) => e.id).sort()).toEqual(
      [`${anonymousId}-own`, `${anonymousId}-shared`].sort(),
    );
    expect(await status(anon)).toBe('TERMINATED');
  });

  it('an anonymous id already linked to someone else keeps its first link', async () => {
    const anonymousId = randomUUID();
    const [first, second] = [`u_${randomUUID().slice(0, 8)}`, `u_${randomUUID().slice(0, 8)}`];
    expect((await post('/v1/identify', { userId: first, anonymousId })).status).toBe(200);
    expect((await post('/v1/identify', { userId: second, anonymousId })).status).toBe(200);
    const link = await gw.pool.query('SELECT customer_id FROM identity_links WHERE anonymous_id = $1', [
      `anon:${anonymousId}`,
    ]);
    expect(link.rows).toEqual([{ customer_id: first }]);
    const later = { anonymousId, event: 'cart.updated', messageId: `${anonymousId}-x` };
    expect((await post('/v1/track', later)).status).toBe(200);
    expect(await rows([first])).toEqual([[first, `${anonymousId}-x`]]);
  });
});
