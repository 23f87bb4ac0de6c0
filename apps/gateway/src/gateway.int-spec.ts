import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { z } from 'zod';
import { customerWorkflowId, eventSignal, exitSignal, profileChangedSignal } from '@kairos/contracts';
import { EventSchema } from '@kairos/events';
import { ApiKeysRepository, EventVolumeRepository, JourneyEventsRepository } from '@kairos/persistence';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../test/support/temporal-env';
import { JOURNEY_STUB_WORKFLOWS_PATH, startTestGateway, type RunningGateway, http } from '@kairos/testing';
import { VolumeService } from './volume/volume.service';

/** Signals received by a workflow, decoded: [{name, payload}]. */
async function signalsOf(
  env: TestWorkflowEnvironment,
  workflowId: string,
): Promise<{ name: string; payload: Record<string, unknown> }[]> {
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? [])
    .map((e) => e.workflowExecutionSignaledEventAttributes)
    .filter((a): a is NonNullable<typeof a> => !!a)
    .map((a) => ({
      name: a.signalName ?? '',
      payload: JSON.parse(Buffer.from(a.input?.payloads?.[0]?.data ?? new Uint8Array()).toString()) as Record<
        string,
        unknown
      >,
    }));
}

async function workflowExists(env: TestWorkflowEnvironment, workflowId: string): Promise<boolean> {
  try {
    await env.client.workflow.getHandle(workflowId).describe();
    return true;
  } catch {
    return false;
  }
}

describe('gateway (real Postgres, real Temporal test server)', () => {
  let env: TestWorkflowEnvironment;
  let gw: RunningGateway;
  let writer: string;
  let admin: string;
  const c = (): string => `c_${randomUUID().slice(0, 8)}`;
  const RATE = 40;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    gw = await startTestGateway({
      databaseUrl: testDatabaseUrl(),
      temporalAddress: env.address,
      rateLimitPerMin: RATE,
    });
    writer = await gw.key(['events:write'], 'writer');
    admin = await gw.key(['admin'], 'admin');
  });

  afterAll(async () => {
    await gw?.close();
    await env?.teardown();
  });

  describe('POST /v1/events', () => {
    it('answers 202 accepted only after Temporal holds the signal, with the request id inside it', async () => {
      const customerId = c();
      const res = await http(gw.url, 'POST', '/v1/events', {
        key: writer,
        headers: { 'x-request-id': 'req-abc.1' },
        body: {
          id: 'e1',
          customerId,
          name: 'cart.updated',
          occurredAt: '2026-11-24T10:00:00+01:00',
          properties: { cart_value: 250 },
        },
      });
      expect(res.status).toBe(202);
      expect(res.headers.get('x-request-id')).toBe('req-abc.1');
      expect(res.body).toEqual({ id: 'e1', status: 'accepted', workflowId: customerWorkflowId(customerId) });
      const signals = await signalsOf(env, customerWorkflowId(customerId));
      expect(signals).toHaveLength(1);
      expect(signals[0]).toMatchObject({
        name: eventSignal.name,
        payload: {
          // v2: recorded in journey_events by the gateway before it was signalled.
          v: 2,
          id: 'e1',
          customerId,
          name: 'cart.updated',
          ts: Date.parse('2026-11-24T09:00:00Z'),
          requestId: 'req-abc.1',
          properties: { cart_value: 250 },
        },
      });
    });

    it('records accepted events in journey_events before signalling them, once each, single and batched', async () => {
      const one = c();
      const two = c();
      const single = await http(gw.url, 'POST', '/v1/events', {
        key: writer,
        body: { id: 'r1', customerId: one, name: 'cart.updated', properties: { cart_value: 5 } },
      });
      const batch = await http(gw.url, 'POST', '/v1/events/batch', {
        key: writer,
        body: {
          events: [
            { id: 'r1', customerId: one, name: 'cart.updated' },
            { id: 'r2', customerId: one, name: 'order.completed' },
            { id: 'r3', customerId: two, name: 'cart.updated' },
            { id: 'r4', customerId: two, name: 'page.viewed' },
          ],
        },
      });
      expect(single.status).toBe(202);
      expect((batch.body.results as { status: string }[]).map((r) => r.status)).toEqual([
        'duplicate',
        'accepted',
        'accepted',
        'ignored',
      ]);
      const events = new JourneyEventsRepository(gw.pool);
      const rows = [...(await events.listForCustomer(one)), ...(await events.listForCustomer(two))];
      expect(rows.map((r) => [r.customerId, r.eventId, r.workflowId]).sort()).toEqual(
        [
          [one, 'r1', customerWorkflowId(one)],
          [one, 'r2', customerWorkflowId(one)],
          [two, 'r3', customerWorkflowId(two)],
        ].sort(),
      );
      const signalled = async (id: string) =>
        (await signalsOf(env, customerWorkflowId(id))).map((s) => (s.payload as { id: string }).id);
      expect(await signalled(one)).toEqual(['r1', 'r2']);
      expect(await signalled(two)).toEqual(['r3']);
    });

    it('answers a retried event `duplicate` and does not signal it twice', async () => {
      const customerId = c();
      const body = { id: 'dup-1', customerId, name: 'cart.updated' };
      const [a, b] = await Promise.all([
        http(gw.url, 'POST', '/v1/events', { key: writer, body }),
        http(gw.url, 'POST', '/v1/events', { key: writer, body }),
      ]);
      const third = await http(gw.url, 'POST', '/v1/events', { key: writer, body });
      expect([a.body.status, b.body.status].sort()).toEqual(['accepted', 'duplicate']);
      expect(third.status).toBe(202);
      expect(third.body.status).toBe('duplicate');
      expect(
        (await signalsOf(env, customerWorkflowId(customerId))).filter((s) => s.name === eventSignal.name),
      ).toHaveLength(1);
    });

    it('assigns an id when none is given', async () => {
      const res = await http(gw.url, 'POST', '/v1/events', {
        key: writer,
        body: { customerId: c(), name: 'order.placed' },
      });
      expect(res.status).toBe(202);
      expect(res.body.id).toMatch(/^evt_[0-9a-f-]{36}$/);
    });

    it('answers `ignored` for names no enabled trigger, exit rule or conversion uses, without waking a workflow, and counts them per minute', async () => {
      const customerId = c();
      const ignored = await http(gw.url, 'POST', '/v1/events', {
        key: writer,
        body: { customerId, name: 'page.viewed' },
      });
      const disabled = await http(gw.url, 'POST', '/v1/events', {
        key: writer,
        body: { customerId, name: 'promo.viewed' },
      });
      expect(ignored.body.status).toBe('ignored');
      expect(disabled.body.status).toBe('ignored');
      expect(await workflowExists(env, customerWorkflowId(customerId))).toBe(false);
      const exitName = await http(gw.url, 'POST', '/v1/events', {
        key: writer,
        body: { customerId: c(), name: 'customer.unsubscribed' },
      });
      const conversion = await http(gw.url, 'POST', '/v1/events', {
        key: writer,
        body: { customerId: c(), name: 'order.completed' },
      });
      expect([exitName.body.status, conversion.body.status]).toEqual(['accepted', 'accepted']);

      await gw.app.get(VolumeService).flush();
      const now = Date.now();
      const rows = await new EventVolumeRepository(gw.pool).list({
        from: new Date(now - 3_600_000),
        to: new Date(now + 60_000),
        name: 'page.viewed',
      });
      expect(rows.reduce((n, r) => n + (r.status === 'ignored' ? r.count : 0), 0)).toBeGreaterThanOrEqual(1);
      expect(rows.every((r) => r.minute.getUTCSeconds() === 0 && r.minute.getUTCMilliseconds() === 0)).toBe(
        true,
      );
    });

    it('400 lists every failing field', async () => {
      const res = await http(gw.url, 'POST', '/v1/events', {
        key: writer,
        body: { customerId: 'bad id!', name: 'Bad Name\n', category: 'nope', extra: 1 },
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ type: 'https://kairos.dev/problems/validation', status: 400 });
      const paths = (res.body.errors as { path: string }[]).map((e) => e.path).sort();
      expect(paths).toEqual(expect.arrayContaining(['customerId', 'name', 'category']));
      expect(paths.length).toBeGreaterThanOrEqual(4);
    });

    it('400 for a body that is not valid JSON', async () => {
      const res = await http(gw.url, 'POST', '/v1/events', { key: writer, raw: '{"customerId": ' });
      expect(res.status).toBe(400);
      expect(res.body.type).toBe('https://kairos.dev/problems/invalid-json');
    });

    it('401 without a key, with an unknown key and with a revoked key; 403 without the scope', async () => {
      const body = { customerId: c(), name: 'cart.updated' };
      const none = await http(gw.url, 'POST', '/v1/events', { body });
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
      expect(none.body.type).toBe('https://kairos.dev/problems/unauthorized');
      expect((await http(gw.url, 'POST', '/v1/events', { key: 'kairos_nope_nope', body })).status).toBe(401);
      const repo = new ApiKeysRepository(gw.pool);
      const { key, record } = await repo.create('short-lived', ['events:write']);
      expect((await http(gw.url, 'POST', '/v1/events', { key, body })).status).toBe(202);
      await repo.revoke(record.id);
      expect((await http(gw.url, 'POST', '/v1/events', { key, body })).status).toBe(401);
      const reader = await gw.key(['journeys:read'], 'reader');
      const forbidden = await http(gw.url, 'POST', '/v1/events', { key: reader, body });
      expect(forbidden.status).toBe(403);
      expect(forbidden.body).toMatchObject({ type: 'https://kairos.dev/problems/forbidden', status: 403 });
      expect(
        (await http(gw.url, 'POST', '/v1/events', { key: admin, body: { ...body, id: 'by-admin' } })).status,
      ).toBe(202);
    });

    it('413 for a body over 1 MiB', async () => {
      const res = await http(gw.url, 'POST', '/v1/events', {
        key: writer,
        raw: JSON.stringify({ customerId: c(), name: 'a', properties: { x: 'y'.repeat(1024 * 1024) } }),
      });
      expect(res.status).toBe(413);
      expect(res.body.type).toBe('https://kairos.dev/problems/body-too-large');
    });

    it('415 for a body that is not JSON', async () => {
      const res = await http(gw.url, 'POST', '/v1/events', {
        key: writer,
        raw: 'customerId=c1&name=a',
        contentType: 'text/plain',
      });
      expect(res.status).toBe(415);
      expect(res.body.type).toBe('https://kairos.dev/problems/unsupported-media-type');
      const form = await http(gw.url, 'POST', '/v1/events', {
        key: writer,
        raw: 'customerId=c1',
        contentType: 'application/x-www-form-urlencoded',
      });
      expect(form.status).toBe(415);
    });

    it('429 with Retry-After once a customer exceeds its sustained rate; other customers are unaffected', async () => {
      const customerId = c();
      const statuses: number[] = [];
      for (let i = 0; i < RATE; i++)
        statuses.push(
          (
            await http(gw.url, 'POST', '/v1/events', {
              key: writer,
              body: { customerId, name: 'page.viewed' },
            })
          ).status,
        );
      expect(statuses.every((s) => s === 202)).toBe(true);
      const limited = await http(gw.url, 'POST', '/v1/events', {
        key: writer,
        body: { customerId, name: 'page.viewed' },
      });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(limited.body.type).toBe('https://kairos.dev/problems/rate-limited');
      expect(
        (
          await http(gw.url, 'POST', '/v1/events', {
            key: writer,
            body: { customerId: c(), name: 'page.viewed' },
          })
        ).status,
      ).toBe(202);
    });
  });

  describe('POST /v1/events/batch', () => {
    it('answers one result per item in order; a bad item never rejects the others', async () => {
      const a = c();
      const b = c();
      const res = await http(gw.url, 'POST', '/v1/events/batch', {
        key: writer,
        body: {
          events: [
            { id: 'b1', customerId: a, name: 'cart.updated' },
            { id: 'b2', customerId: a, name: 'Not Valid ' },
            { id: 'b3', customerId: b, name: 'page.viewed' },
            { id: 'b1', customerId: a, name: 'cart.updated' },
            { id: 'b4', customerId: a, name: 'order.placed' },
            42,
          ],
        },
      });
      expect(res.status).toBe(200);
      expect(
        (res.body.results as { index: number; status: string }[]).map((r) => [r.index, r.status]),
      ).toEqual([
        [0, 'accepted'],
        [1, 'rejected'],
        [2, 'ignored'],
        [3, 'duplicate'],
        [4, 'accepted'],
        [5, 'rejected'],
      ]);
      expect(res.body.results[1].error).toMatchObject({ status: 400, errors: [{ path: 'name' }] });
      expect(res.body.results[5].id).toBeNull();
      // One customer's events reach its journey in batch order.
      const ids = (await signalsOf(env, customerWorkflowId(a))).map((s) => s.payload.id);
      expect(ids).toEqual(['b1', 'b4']);
    });

    it('400 for an envelope over 500 events or without events', async () => {
      const many = Array.from({ length: 501 }, (_, i) => ({ customerId: 'x', name: 'a', id: `m${i}` }));
      const over = await http(gw.url, 'POST', '/v1/events/batch', { key: writer, body: { events: many } });
      expect(over.status).toBe(400);
      expect(over.body.errors[0].path).toBe('events');
      expect((await http(gw.url, 'POST', '/v1/events/batch', { key: writer, body: {} })).status).toBe(400);
    });
  });

  describe('customers and journeys', () => {
    let worker: Worker;
    let running: Promise<void>;
    const taskQueue = `gw-stub-${randomUUID()}`;
    let journeyGw: RunningGateway;
    let key: string;

    beforeAll(async () => {
      worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowsPath: JOURNEY_STUB_WORKFLOWS_PATH,
      });
      running = worker.run();
      journeyGw = await startTestGateway({
        databaseUrl: testDatabaseUrl(),
        temporalAddress: env.address,
        taskQueue,
      });
      key = await journeyGw.key(['events:write', 'customers:write', 'journeys:read']);
    });

    afterAll(async () => {
      await journeyGw?.close();
      worker?.shutdown();
      await running;
    });

    it('PUT creates (201) then replaces (200) the profile; GET reads it back', async () => {
      const customerId = c();
      const profile = {
        email: 'a@example.com',
        timezone: 'Europe/Paris',
        consent: { email: true, sms: false },
        quietHours: { start: '21:00', end: '08:00' },
        attributes: { tier: 'gold' },
      };
      const created = await http(journeyGw.url, 'PUT', `/v1/customers/${customerId}`, { key, body: profile });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ ...profile, customerId, journey: 'no-journey' });
      const replaced = await http(journeyGw.url, 'PUT', `/v1/customers/${customerId}`, {
        key,
        body: { timezone: 'America/New_York' },
      });
      expect(replaced.status).toBe(200);
      const read = await http(journeyGw.url, 'GET', `/v1/customers/${customerId}`, { key });
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ customerId, timezone: 'America/New_York' });
      expect(read.body.email).toBeUndefined();
      // Full replacement except consent: flags left out keep their recorded value (docs/api.md §4.4).
      expect(read.body.consent).toEqual({ email: true, sms: false });
    });

    it('PUT 400 lists invalid profile fields; GET 404 for an unknown customer; 400 for a bad customer id', async () => {
      const bad = await http(journeyGw.url, 'PUT', `/v1/customers/${c()}`, {
        key,
        body: {
          timezone: 'Mars/Olympus',
          quietHours: { start: '25:00', end: '08:00' },
          consent: { email: 'yes' },
        },
      });
      expect(bad.status).toBe(400);
      expect((bad.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
        'consent.email',
        'quietHours.start',
        'timezone',
      ]);
      const missing = await http(journeyGw.url, 'GET', `/v1/customers/${c()}`, { key });
      expect(missing.status).toBe(404);
      expect(missing.body.type).toBe('https://kairos.dev/problems/customer-not-found');
      expect((await http(journeyGw.url, 'GET', `/v1/customers/${'x'.repeat(129)}`, { key })).status).toBe(
        400,
      );
    });

    it('a profile change and an exit are signalled to the running journey, which the journey endpoint shows', async () => {
      const customerId = c();
      expect((await http(journeyGw.url, 'GET', `/v1/customers/${customerId}/journey`, { key })).status).toBe(
        404,
      );
      expect(
        (
          await http(journeyGw.url, 'POST', `/v1/customers/${customerId}/exit`, {
            key,
            body: { reason: 'support' },
          })
        ).body.status,
      ).toBe('no-journey');
      await http(journeyGw.url, 'POST', '/v1/events', {
        key,
        body: { id: 'j1', customerId, name: 'cart.updated' },
      });
      const put = await http(journeyGw.url, 'PUT', `/v1/customers/${customerId}`, {
        key,
        body: { timezone: 'Asia/Tokyo' },
        headers: { 'x-request-id': 'profile-req' },
      });
      expect(put.body.journey).toBe('signalled');
      const journey = await http(journeyGw.url, 'GET', `/v1/customers/${customerId}/journey`, { key });
      expect(journey.status).toBe(200);
      expect(journey.body).toMatchObject({
        customerId,
        workflowId: customerWorkflowId(customerId),
        stage: 'profile-changed',
        counters: { events: 1 },
      });
      expect(journey.body.recentEvents).toEqual([
        expect.objectContaining({ id: 'j1', name: 'cart.updated' }),
      ]);
      const exit = await http(journeyGw.url, 'POST', `/v1/customers/${customerId}/exit`, {
        key,
        body: { reason: 'support' },
      });
      expect(exit.status).toBe(202);
      expect(exit.body).toEqual({
        customerId,
        workflowId: customerWorkflowId(customerId),
        status: 'signalled',
      });
      const signals = await signalsOf(env, customerWorkflowId(customerId));
      expect(signals.map((s) => s.name)).toEqual([
        eventSignal.name,
        profileChangedSignal.name,
        exitSignal.name,
      ]);
      expect(signals[1]?.payload).toMatchObject({ v: 1, customerId, requestId: 'profile-req' });
      expect(signals[2]?.payload).toMatchObject({ v: 1, reason: 'support' });
      expect(
        (await http(journeyGw.url, 'POST', `/v1/customers/${customerId}/exit`, { key, body: {} })).status,
      ).toBe(400);
    });
  });

  describe('triggers, operations and docs', () => {
    it('GET /v1/triggers lists the loaded definitions; validate reports paths', async () => {
      const list = await http(gw.url, 'GET', '/v1/triggers', { key: admin });
      expect(list.status).toBe(200);
      expect(list.body.triggers).toEqual([
        { id: 'abandoned-cart', version: 1, enabled: true, hash: expect.stringMatching(/^[0-9a-f]{16}$/) },
        { id: 'old-promo', version: 2, enabled: false, hash: expect.any(String) },
      ]);
      expect(list.body.eventNames).toEqual([
        'cart.updated',
        'customer.unsubscribed',
        'order.completed',
        'order.placed',
      ]);
      const ok = await http(gw.url, 'POST', '/v1/triggers/validate', {
        key: admin,
        body: { id: 'x', version: 1, pattern: { kind: 'event', name: 'a.b' } },
      });
      expect(ok.body).toMatchObject({ valid: true, errors: [] });
      expect(Array.isArray(ok.body.warnings)).toBe(true);
      const bad = await http(gw.url, 'POST', '/v1/triggers/validate', {
        key: admin,
        body: { id: 'x', pattern: { kind: 'event', name: ' A B' } },
      });
      expect(bad.status).toBe(200);
      expect(bad.body.valid).toBe(false);
      expect((bad.body.errors as { path: string }[]).map((e) => e.path)).toEqual(
        expect.arrayContaining(['version', 'pattern.name']),
      );
      expect((await http(gw.url, 'GET', '/v1/triggers', { key: writer })).status).toBe(403);
    });

    it('health is public; ready reports Temporal and Postgres up', async () => {
      expect((await http(gw.url, 'GET', '/health/live')).body).toEqual({ status: 'ok' });
      const ready = await http(gw.url, 'GET', '/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ok', temporal: 'up', postgres: 'up' });
      expect(ready.body.definitions.gateway).toMatch(/^[0-9a-f]{16}$/);
    });

    it('/metrics exposes request counts, latency histograms, signals and errors by kind in Prometheus text', async () => {
      const res = await http(gw.url, 'GET', '/metrics');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(res.text).toMatch(
        /kairos_gateway_http_requests_total\{method="POST",route="\/v1\/events",status="202"\} \d+/,
      );
      expect(res.text).toMatch(
        /kairos_gateway_http_request_duration_seconds_bucket\{le="0.1",method="POST",route="\/v1\/events",status="202"\} \d+/,
      );
      expect(res.text).toMatch(
        /kairos_gateway_temporal_signals_total\{signal="kairos.event",outcome="ok"\} [1-9]/,
      );
      expect(res.text).toMatch(/kairos_gateway_errors_total\{kind="unauthorized"\} [1-9]/);
      expect(res.text).toMatch(/kairos_gateway_errors_total\{kind="rate_limited"\} [1-9]/);
      expect(res.text).toMatch(/kairos_gateway_events_total\{status="ignored"\} [1-9]/);
    });

    it('unknown routes answer a 404 problem', async () => {
      const res = await http(gw.url, 'GET', '/v1/nope', { key: admin });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });

    it('serves the OpenAPI document generated from the request schemas, and the UI at /docs', async () => {
      const doc = await http(gw.url, 'GET', '/docs/openapi.json');
      expect(doc.status).toBe(200);
      expect(doc.body.openapi).toBe('3.1.0');
      expect(Object.keys(doc.body.paths)).toEqual(
        expect.arrayContaining([
          '/v1/events',
          '/v1/events/batch',
          '/v1/customers/{customerId}',
          '/v1/triggers',
        ]),
      );
      const generated = z.toJSONSchema(EventSchema, { io: 'input', unrepresentable: 'any' }) as {
        properties: Record<string, unknown>;
      };
      expect(doc.body.components.schemas.Event.properties.name).toEqual(generated.properties.name);
      expect(doc.body.components.schemas.Event.required).toEqual(['customerId', 'name']);
      const ui = await fetch(`${gw.url}/docs`, { redirect: 'follow' });
      expect(ui.status).toBe(200);
      expect(await ui.text()).toMatch(/swagger/i);
    });
  });
});
