import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { escalationAckSignal, exitSignal } from '@kairos/contracts';
import {
  AttributionRepository,
  createPool,
  EscalationsRepository,
  OutboxRepository,
} from '@kairos/persistence';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../test/support/temporal-env';
import { Customer, MemoryProfiles, startKitWorker, tempOutbox } from '@kairos/testing';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('customer journey (time-skipping server, real Postgres)', () => {
  let env: TestWorkflowEnvironment;
  let pool: Pool;
  let outbox: OutboxRepository;
  let attribution: AttributionRepository;
  let escalations: EscalationsRepository;
  let worker: Awaited<ReturnType<typeof startKitWorker>>;
  let hookServer: http.Server;
  const hookCalls: unknown[] = [];
  const profiles = new MemoryProfiles();
  const outboxDir = tempOutbox();
  const taskQueue = `journey-${randomUUID()}`;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    pool = createPool(testDatabaseUrl());
    outbox = new OutboxRepository(pool);
    attribution = new AttributionRepository(pool);
    escalations = new EscalationsRepository(pool);
    hookServer = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hookCalls.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
    const hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/slack`;
    worker = await startKitWorker(env.nativeConnection, pool, taskQueue, {
      profiles,
      outboxDir,
      escalationWebhookUrl: hookUrl,
    });
  });

  afterAll(async () => {
    await worker.stop();
    await pool.end();
    await env.teardown();
    hookServer.close();
  });

  const customer = (): Customer =>
    new Customer(env.client, taskQueue, `c-${randomUUID().slice(0, 8)}`, () => env.currentTimeMs(), pool);
  const sends = async (c: Customer) =>
    (await outbox.listForCustomer(c.id)).map((r) => `${r.triggerId}:${r.channel}`);

  it('abandoned cart: fires after 2 h of no order and emails the rendered template', async () => {
    const c = customer();
    await c.send('cart.updated', { cart_id: 'k1', items: 'shoes' });
    const waiting = await c.until((v) => v.partialMatches.length === 1, 'partial match');
    expect(waiting.partialMatches[0]).toMatchObject({ triggerId: 'abandoned-cart' });
    await env.sleep(HOUR);
    expect(await sends(c)).toEqual([]);
    await env.sleep(HOUR + MIN);
    await c.until((v) => v.history.some((h) => h.status === 'sent'), 'send');
    const [row] = await outbox.listForCustomer(c.id);
    expect(row).toMatchObject({
      triggerId: 'abandoned-cart',
      channel: 'email',
      subject: 'You left shoes in your cart',
      recipient: `${c.id}@example.com`,
    });
    expect(row?.body).toContain('cart k1 is waiting');
    expect(fs.existsSync(`${outboxDir}/${row?.deliveryId}.json`)).toBe(true);
    const kinds = (await attribution.listForCustomer(c.id)).map((a) => a.kind);
    expect(kinds).toEqual(['fired', 'delivered']);
  });

  it('abandoned cart: does not fire when the order comes first', async () => {
    const c = customer();
    await c.send('cart.updated', { cart_id: 'k1' });
    await c.until((v) => v.partialMatches.length === 1, 'partial match');
    await c.send('order.completed', { total: 80 });
    await c.until((v) => v.counters.events === 2 && v.partialMatches.length === 0, 'partial killed');
    await env.sleep(3 * HOUR);
    const v = await c.view();
    expect(v.history).toEqual([]);
    expect(await sends(c)).toEqual([]);
  });

  it('compound trigger: fires once both events occurred within the hour, in any order', async () => {
    const c = customer();
    await c.send('pricing.viewed');
    await c.send('product.compared');
    await c.until(
      (v) => v.history.some((h) => h.triggerId === 'compare-then-price' && h.status === 'sent'),
      'compound send',
    );
    expect(await sends(c)).toEqual(['compare-then-price:email']);
  });

  it('two triggers matching at once: the lower priority one is suppressed and logged', async () => {
    const c = customer();
    await c.send('order.placed', { total: 250 });
    const v = await c.until((x) => x.history.length >= 2, 'both outcomes');
    expect(v.history.map((h) => [h.triggerId, h.status, h.reason ?? null])).toEqual(
      expect.arrayContaining([
        ['any-order', 'suppressed', 'group'],
        ['big-order', 'sent', null],
      ]),
    );
    expect(await sends(c)).toEqual(['big-order:sms']);
    const log = await attribution.listForCustomer(c.id);
    expect(log.find((a) => a.triggerId === 'any-order')).toMatchObject({
      kind: 'suppressed',
      reason: 'group',
    });
  });

  it('quiet hours: a message due in the quiet window is deferred to its end', async () => {
    const c = customer();
    const now = await env.currentTimeMs();
    const hh = (ms: number) => `${String(new Date(ms).getUTCHours()).padStart(2, '0')}:00`;
    const end = now + 3 * HOUR;
    profiles.profiles.set(c.id, {
      customerId: c.id,
      email: 'q@example.com',
      consent: { email: true },
      timezone: 'UTC',
      quietHours: { start: hh(now - HOUR), end: hh(end) },
    });
    await c.send('newsletter.signup');
    const v = await c.until(
      (x) => x.pendingResponses.length === 1 && x.counters.events === 1,
      'deferred response',
    );
    const runAt = Date.parse(v.pendingResponses[0]!.runAt);
    expect(new Date(runAt).getUTCHours()).toBe(new Date(end).getUTCHours());
    expect(runAt).toBeGreaterThan(now + 2 * HOUR);
    expect(await sends(c)).toEqual([]);
    await env.sleep(runAt - now + MIN);
    await c.until((x) => x.history.some((h) => h.status === 'sent'), 'send after quiet hours');
    expect(await sends(c)).toEqual(['newsletter-signup:email']);
    expect((await attribution.listForCustomer(c.id)).map((a) => [a.kind, a.reason])).toContainEqual([
      'deferred',
      'quietHours',
    ]);
  });

  it('daily cap: the second SMS of the day is suppressed with reason cap', async () => {
    const c = customer();
    await c.send('order.placed', { total: 300 });
    await c.until((v) => v.history.some((h) => h.status === 'sent'), 'first sms');
    await c.send('order.placed', { total: 400 });
    const v = await c.until(
      (x) => x.history.filter((h) => h.triggerId === 'big-order').length === 2,
      'second outcome',
    );
    expect(
      v.history.filter((h) => h.triggerId === 'big-order').map((h) => [h.status, h.reason ?? null]),
    ).toEqual([
      ['sent', null],
      ['suppressed', 'cap'],
    ]);
    expect(await sends(c)).toEqual(['big-order:sms']);
  });

  it('conversion during the delay cancels the send', async () => {
    const c = customer();
    await c.send('trial.started');
    await c.until((v) => v.pendingResponses.length === 1, 'pending reminder');
    await env.sleep(30 * MIN);
    await c.send('subscription.purchased');
    const v = await c.until((x) => x.pendingResponses.length === 0, 'cancelled');
    expect(v.history).toEqual([
      expect.objectContaining({
        triggerId: 'trial-reminder',
        status: 'cancelled',
        reason: 'exitOn:subscription.purchased',
      }),
    ]);
    await env.sleep(HOUR);
    expect(await sends(c)).toEqual([]);
    expect((await attribution.listForCustomer(c.id)).map((a) => a.kind)).toEqual(['fired', 'cancelled']);
  });

  it('API exit cancels every pending response', async () => {
    const c = customer();
    await c.send('trial.started');
    await c.until((v) => v.pendingResponses.length === 1, 'pending reminder');
    await c.signal(exitSignal, { v: 1, reason: 'gdpr request', at: await env.currentTimeMs() });
    const v = await c.until((x) => x.pendingResponses.length === 0, 'exited');
    expect(v.history[0]).toMatchObject({ status: 'cancelled', reason: 'exit: gdpr request' });
    expect((await attribution.listForCustomer(c.id)).map((a) => a.kind)).toEqual(['fired', 'exit']);
  });

  it('escalation: opens a row and posts the webhook, escalates to `then` when the SLA expires', async () => {
    const c = customer();
    profiles.profiles.set(c.id, { customerId: c.id, attributes: { tier: 'vip' }, timezone: 'UTC' });
    await c.send('subscription.cancel_requested');
    await c.until((v) => v.stage === 'escalated', 'escalated');
    const [first] = await escalations.list({ customerId: c.id });
    expect(first).toMatchObject({ level: 1, target: '#success', status: 'open' });
    expect(hookCalls).toContainEqual(
      expect.objectContaining({ channel: '#success', escalationId: first?.id }),
    );
    await env.sleep(31 * MIN);
    await c.until((v) => v.history.some((h) => h.status === 'expired'), 'expired');
    const rows = await escalations.list({ customerId: c.id });
    expect(rows.map((r) => [r.level, r.target, r.status])).toEqual([
      [1, '#success', 'expired'],
      [2, '#success-leads', 'open'],
    ]);
    // The second level is acknowledged in time: the journey stops waiting.
    await c.signal(escalationAckSignal, {
      v: 1,
      escalationId: rows[1]!.id,
      by: 'ana',
      outcome: 'accepted',
      at: await env.currentTimeMs(),
    });
    await c.until((v) => v.stage !== 'escalated', 'acknowledged');
    expect((await escalations.get(rows[1]!.id))?.status).toBe('acked');
  });

  it('experiments: the variant is sticky per customer and trigger and its exposure is recorded', async () => {
    const c = customer();
    await c.send('price.page');
    await c.until((v) => v.history.length === 1 || v.pendingResponses.length === 1, 'first exposure');
    await env.sleep(11 * MIN);
    await c.until((v) => v.history.some((h) => h.status === 'sent'), 'sent');
    const log = await attribution.listForCustomer(c.id);
    const exposure = log.find((a) => a.kind === 'exposure');
    expect(['now', 'later']).toContain(exposure?.variant);
    const [row] = await outbox.listForCustomer(c.id);
    expect(row?.variant).toBe(exposure?.variant);
    expect(row?.body).toContain(`variant ${exposure?.variant}`);
  });

  it('search attributes and details show what the journey waits for', async () => {
    const c = customer();
    await c.send('cart.updated', { cart_id: 'sa' });
    await c.until((v) => v.partialMatches.length === 1, 'partial');
    const handle = env.client.workflow.getHandle(c.workflowId);
    let attrs: Record<string, unknown> = {};
    for (let i = 0; i < 50; i++) {
      attrs = (await handle.describe()).searchAttributes;
      if (Array.isArray(attrs.ActiveTriggers) && attrs.ActiveTriggers.includes('abandoned-cart')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(attrs).toMatchObject({
      CustomerId: [c.id],
      JourneyStage: ['watching'],
      ActiveTriggers: ['abandoned-cart'],
      PendingResponses: [0],
    });
  });

  it('a worker killed mid-delay and restarted completes the journey with exactly one send', async () => {
    // Its own queue and workers without a cache: the Java test server does not time out the sticky
    // queue of a stopped worker, so the replacement must pick the journey up from history alone.
    const queue = `restart-${randomUUID()}`;
    const dir = tempOutbox();
    const first = await startKitWorker(env.nativeConnection, pool, queue, {
      profiles,
      outboxDir: dir,
      maxCachedWorkflows: 0,
    });
    const c = new Customer(
      env.client,
      queue,
      `c-${randomUUID().slice(0, 8)}`,
      () => env.currentTimeMs(),
      pool,
    );
    await c.send('trial.started');
    await c.until((v) => v.pendingResponses.length === 1, 'pending reminder');
    await first.stop();
    const second = await startKitWorker(env.nativeConnection, pool, queue, {
      profiles,
      outboxDir: dir,
      maxCachedWorkflows: 0,
    });
    try {
      await env.sleep(HOUR + MIN);
      await c.until((v) => v.history.some((h) => h.status === 'sent'), 'sent after restart');
      expect(await sends(c)).toEqual(['trial-reminder:email']);
      expect(fs.readdirSync(dir)).toEqual([`${(await outbox.listForCustomer(c.id))[0]?.deliveryId}.json`]);
    } finally {
      await second.stop();
    }
  });
});
