import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import {
  AttributionRepository,
  createPool,
  EscalationsRepository,
  OutboxRepository,
} from '@kairos/persistence';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../test/support/temporal-env';
import { Customer, MemoryProfiles, startKitWorker, tempOutbox } from '@kairos/testing';
import { loadDefinitionsFromDir } from './worker';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const EXAMPLES = path.resolve(__dirname, '..', '..', '..', 'libs', 'triggers', 'examples');

/** Polls a database read (real time) until `probe` holds. */
async function eventually<T>(read: () => Promise<T>, probe: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const v = await read();
    if (probe(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Every shipped example (libs/triggers/examples, what `npm start` loads) driven through a real
// journey: each one must do what its description promises, so an example can never rot again.
describe('the shipped example triggers (time-skipping server, real Postgres)', () => {
  let env: TestWorkflowEnvironment;
  let pool: Pool;
  let outbox: OutboxRepository;
  let attribution: AttributionRepository;
  let escalations: EscalationsRepository;
  let worker: Awaited<ReturnType<typeof startKitWorker>>;
  const profiles = new MemoryProfiles();
  const taskQueue = `examples-${randomUUID()}`;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    pool = createPool(testDatabaseUrl());
    outbox = new OutboxRepository(pool);
    attribution = new AttributionRepository(pool);
    escalations = new EscalationsRepository(pool);
    worker = await startKitWorker(env.nativeConnection, pool, taskQueue, {
      profiles,
      outboxDir: tempOutbox(),
      definitions: loadDefinitionsFromDir(EXAMPLES),
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await pool?.end();
    await env?.teardown();
  });

  const customer = (): Customer =>
    new Customer(env.client, taskQueue, `x-${randomUUID().slice(0, 8)}`, () => env.currentTimeMs(), pool);
  const sent = (c: Customer, triggerId: string) =>
    c.until(
      (v) => v.history.some((h) => h.triggerId === triggerId && h.status === 'sent'),
      `${triggerId} sent`,
    );
  const conversion = (c: Customer) =>
    eventually(
      () => attribution.listForCustomer(c.id),
      (log) => log.some((a) => a.kind === 'conversion'),
      'conversion',
    );

  it('abandoned-cart: emails 2 h after a cart update without order, and the order converts it', async () => {
    const c = customer();
    await c.send('cart.updated', { cart_id: 'k1', total: 120 });
    await c.until((v) => v.partialMatches.some((m) => m.triggerId === 'abandoned-cart'), 'partial match');
    await env.sleep(2 * HOUR - 5 * MIN);
    expect(await outbox.listForCustomer(c.id)).toEqual([]);
    await env.sleep(6 * MIN);
    await sent(c, 'abandoned-cart');
    const [row] = await outbox.listForCustomer(c.id);
    expect(row).toMatchObject({
      triggerId: 'abandoned-cart',
      channel: 'email',
      subject: 'You left something in your cart',
    });
    expect(row?.body).toContain('(cart k1)');
    await c.send('order.completed', { cart_id: 'k1', total: 120 });
    const log = await conversion(c);
    expect(log.find((a) => a.kind === 'conversion')).toMatchObject({
      triggerId: 'abandoned-cart',
      value: 120,
    });
  });

  it('browse-then-signup: welcomes with the viewed product 10 minutes after the signup', async () => {
    const c = customer();
    await c.send('product.viewed', { sku: 'p-42', price: 30 });
    await c.send('signup.completed');
    await c.until((v) => v.pendingResponses.some((p) => p.triggerId === 'browse-then-signup'), 'pending');
    await env.sleep(9 * MIN);
    expect(await outbox.listForCustomer(c.id)).toEqual([]);
    await env.sleep(2 * MIN);
    await sent(c, 'browse-then-signup');
    const [row] = await outbox.listForCustomer(c.id);
    expect(row).toMatchObject({ triggerId: 'browse-then-signup', channel: 'email' });
    expect(row?.body).toContain('product p-42');
  });

  it('high-intent-views: a push after 5 different products over 100 within the hour, not before', async () => {
    const c = customer();
    for (const sku of ['a', 'b', 'c', 'd']) await c.send('product.viewed', { sku, price: 150 });
    // A repeat and a cheap product do not count.
    await c.send('product.viewed', { sku: 'a', price: 150 });
    await c.send('product.viewed', { sku: 'e', price: 20 });
    await c.until((v) => v.counters.events === 6, 'six events');
    expect(await outbox.listForCustomer(c.id)).toEqual([]);
    await c.send('product.viewed', { sku: 'e', price: 150 });
    await sent(c, 'high-intent-views');
    expect((await outbox.listForCustomer(c.id)).map((r) => [r.triggerId, r.channel])).toEqual([
      ['high-intent-views', 'push'],
    ]);
  });

  it('pricing-interest: an enterprise customer (attributes.plan) is escalated to sales, and emailed on a weekday at 10:00', async () => {
    const c = customer();
    profiles.profiles.set(c.id, {
      customerId: c.id,
      email: `${c.id}@example.com`,
      consent: { email: true },
      timezone: 'UTC',
      quietHours: { start: '00:00', end: '00:00' },
      attributes: { plan: 'enterprise' },
    });
    await c.send('demo.viewed');
    await c.send('pricing.viewed');
    const [row] = await eventually(
      () => escalations.list({ customerId: c.id }),
      (rows) => rows.length > 0,
      'escalation',
    );
    expect(row).toMatchObject({ triggerId: 'pricing-interest', target: 'sales-team', status: 'open' });
    await env.sleep(4 * DAY);
    await sent(c, 'pricing-interest');
    const [mail] = await outbox.listForCustomer(c.id);
    expect(mail).toMatchObject({ triggerId: 'pricing-interest', channel: 'email' });
    // The journey's clock (the time-skipping server's), as recorded with the delivery.
    const delivered = (await attribution.listForCustomer(c.id)).find((a) => a.kind === 'delivered');
    const at = new Date(delivered?.at ?? 0);
    expect([at.getUTCHours(), [0, 6].includes(at.getUTCDay())]).toEqual([10, false]);
  });

  it('pricing-interest: a customer without the enterprise plan is emailed but never escalated', async () => {
    const c = customer();
    profiles.profiles.set(c.id, {
      customerId: c.id,
      email: `${c.id}@example.com`,
      consent: { email: true },
      timezone: 'UTC',
      quietHours: { start: '00:00', end: '00:00' },
      attributes: { plan: 'starter' },
    });
    await c.send('pricing.viewed');
    await c.send('demo.viewed');
    await c.until((v) => v.pendingResponses.some((p) => p.triggerId === 'pricing-interest'), 'pending');
    await env.sleep(4 * DAY);
    await sent(c, 'pricing-interest');
    expect(await escalations.list({ customerId: c.id })).toEqual([]);
  });

  it('winback-inactivity: emails after 30 days without a session, and the next session converts it', async () => {
    const c = customer();
    await c.send('session.started');
    await env.sleep(29 * DAY);
    expect(await outbox.listForCustomer(c.id)).toEqual([]);
    await env.sleep(3 * DAY + HOUR);
    await sent(c, 'winback-inactivity');
    expect((await outbox.listForCustomer(c.id)).map((r) => [r.triggerId, r.channel])).toEqual([
      ['winback-inactivity', 'email'],
    ]);
    await c.send('session.started');
    const log = await conversion(c);
    expect(log.find((a) => a.kind === 'conversion')).toMatchObject({ triggerId: 'winback-inactivity' });
  });
});
