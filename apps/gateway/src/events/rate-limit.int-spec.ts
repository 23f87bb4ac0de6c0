import { randomUUID } from 'node:crypto';
import { EventVolumeRepository } from '@kairos/persistence';
import { http, startGatewayStack, type GatewayStack, type RunningGateway } from '@kairos/testing';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../../test/support/temporal-env';
import { OTHER_NAMES } from '../volume/unknown-names';
import { VolumeService } from '../volume/volume.service';

// The limits of both instances; every test below spends from the same global budget, in order.
const LIMITS = {
  rateLimitPerMin: 5,
  rateLimitPerKeyPerMin: 10,
  rateLimitGlobalPerMin: 30,
  newJourneysPerMin: 3,
};

// A database of this file's own: the global limits must not count other test files' events.
const OWN_DATABASE = 'kairos_limits';

describe('limits shared by two gateway instances (real Postgres, real Temporal test server)', () => {
  let stack: GatewayStack;
  let a: RunningGateway;
  let b: RunningGateway;
  const c = (): string => `c_${randomUUID().slice(0, 8)}`;
  const send = (gw: RunningGateway, key: string, customerId: string, name = 'page.viewed') =>
    http(gw.url, 'POST', '/v1/events', { key, body: { customerId, name } });

  beforeAll(async () => {
    stack = await startGatewayStack({
      temporal: createTimeSkippingEnv,
      databaseUrl: testDatabaseUrl(),
      ownDatabase: OWN_DATABASE,
      gateway: LIMITS,
    });
    a = stack.gateway;
    b = await stack.addGateway();
  });

  afterAll(() => stack?.close());

  it('a customer over its rate on two instances together gets 429 with Retry-After, naming the limit', async () => {
    const key = await a.key(['events:write'], 'k1');
    const customerId = c();
    const statuses = [];
    for (const gw of [a, b, a, b, a]) statuses.push((await send(gw, key, customerId)).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202]);
    const limited = await send(b, key, customerId);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body).toMatchObject({
      type: 'https://kairos.dev/problems/rate-limited',
      status: 429,
      limit: 'customer',
      limitPerMin: 5,
    });
    // Another customer of the same key is not affected.
    expect((await send(a, key, c())).status).toBe(202);
  });

  it('an API key over its rate across instances gets 429 (limit "key"); another key does not', async () => {
    const key = await a.key(['events:write'], 'k2');
    const statuses = [];
    for (let i = 0; i < 10; i++) statuses.push((await send(i % 2 ? a : b, key, c())).status);
    expect(statuses.every((s) => s === 202)).toBe(true);
    const limited = await send(a, key, c());
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ limit: 'key', limitPerMin: 10 });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const other = await a.key(['events:write'], 'k3');
    expect((await send(b, other, c())).status).toBe(202);
  });

  it('caps the journeys started per minute across instances; returning customers pass', async () => {
    const key = await a.key(['events:write'], 'k4');
    const [n1, n2, n3, n4] = [c(), c(), c(), c()];
    expect((await send(a, key, n1, 'cart.updated')).status).toBe(202);
    expect((await send(b, key, n2, 'cart.updated')).status).toBe(202);
    expect((await send(a, key, n3, 'cart.updated')).status).toBe(202);
    const capped = await send(b, key, n4, 'cart.updated');
    expect(capped.status).toBe(429);
    expect(capped.body).toMatchObject({ limit: 'new-journeys', limitPerMin: 3 });
    expect(Number(capped.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // n1 has a journey (started through a): b finds it in journey_events and lets it through.
    expect((await send(b, key, n1, 'cart.updated')).body).toMatchObject({ status: 'accepted' });
    // An ignored event starts no journey: the cap does not apply.
    expect((await send(b, key, c())).status).toBe(202);
  });

  it('a batch item over the global rate is rejected alone, with retryAfter; the others are answered', async () => {
    // Spent so far: 7 + 12 + 6 = 25 of 30.
    const key = await b.key(['events:write'], 'k5');
    const events = Array.from({ length: 10 }, () => ({ customerId: c(), name: 'page.viewed' }));
    const res = await http(b.url, 'POST', '/v1/events/batch', { key, body: { events } });
    expect(res.status).toBe(200);
    const results = res.body.results as { status: string; retryAfter?: number; error?: { limit?: string } }[];
    const accepted = results.filter((r) => r.status === 'ignored');
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(accepted).toHaveLength(5);
    expect(rejected).toHaveLength(5);
    for (const r of rejected) {
      expect(r.error).toMatchObject({ status: 429, limit: 'global' });
      expect(r.retryAfter).toBeGreaterThanOrEqual(1);
    }
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // The other instance shares the exhausted budget.
    const fresh = await a.key(['events:write'], 'k6');
    expect((await send(a, fresh, c())).body).toMatchObject({ limit: 'global' });
  });
});

describe('event_volume rows for names no trigger uses (real Postgres)', () => {
  let stack: GatewayStack;
  let gw: RunningGateway;

  beforeAll(async () => {
    stack = await startGatewayStack({
      temporal: createTimeSkippingEnv,
      databaseUrl: testDatabaseUrl(),
      ownDatabase: OWN_DATABASE,
      gateway: { volumeUnknownNamesPerMin: 2 },
    });
    gw = stack.gateway;
  });

  afterAll(() => stack?.close());

  it('counts the first N unknown names of a minute by name and the rest under (other)', async () => {
    const key = await gw.key(['events:write']);
    const from = new Date(Date.now() - 60_000);
    for (const name of ['vol.a', 'vol.b', 'vol.c', 'vol.d', 'vol.e', 'vol.a'])
      expect(
        (await http(gw.url, 'POST', '/v1/events', { key, body: { customerId: 'v1', name } })).status,
      ).toBe(202);
    await gw.app.get(VolumeService).flush();
    const rows = await new EventVolumeRepository(gw.pool).list({ from, to: new Date(Date.now() + 60_000) });
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(6);
    const minutes = new Set(rows.map((r) => r.minute.getTime()));
    for (const m of minutes)
      expect(
        rows.filter((r) => r.minute.getTime() === m && r.name !== OTHER_NAMES).length,
      ).toBeLessThanOrEqual(2);
    expect(
      rows.filter((r) => r.name === OTHER_NAMES).reduce((n, r) => n + r.count, 0),
    ).toBeGreaterThanOrEqual(1);
  });
});
