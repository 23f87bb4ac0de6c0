import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Analytics } from '@segment/analytics-node';
import Rudder from '@rudderstack/rudder-sdk-node';
import { JourneyEventsRepository } from '@kairos/persistence';
import {
  http,
  startGatewayStack,
  type GatewayStack,
  type RunningGateway,
  type TriggerFolder,
} from '@kairos/testing';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../../test/support/temporal-env';

/** Triggers on the names Segment calls become: "Order Completed" (track) and "Page Viewed" (page). */
const TRIGGERS: TriggerFolder = {
  templates: { thanks: '---\nsubject: Thanks\n---\nThanks!' },
  triggers: (
    [
      ['order-thanks', 'Order Completed'],
      ['page-seen', 'Page Viewed'],
    ] as const
  ).map(([id, name]) => ({
    id,
    version: 1,
    pattern: { kind: 'event', name },
    response: { channels: { order: ['email'] }, template: 'thanks' },
  })),
};

const basic = (key: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
});

describe('Segment HTTP tracking API (real SDKs, real Postgres, real Temporal test server)', () => {
  let stack: GatewayStack;
  let gw: RunningGateway;
  let key: string;
  const user = (): string => `u_${randomUUID().slice(0, 8)}`;
  const rows = (customerId: string) => new JourneyEventsRepository(gw.pool).listForCustomer(customerId);
  const post = (route: string, body: unknown, headers: Record<string, string> = basic(key)) =>
    http(gw.url, 'POST', route, { body, headers });

  beforeAll(async () => {
    stack = await startGatewayStack({
      temporal: createTimeSkippingEnv,
      databaseUrl: testDatabaseUrl(),
      triggers: TRIGGERS,
    });
    gw = stack.gateway;
    key = await gw.key(['events:write'], 'segment-source');
  });

  afterAll(() => stack?.close());

  it('@segment/analytics-node: track is recorded for the trigger, identify sets the profile, page maps', async () => {
    const userId = user();
    const errors: unknown[] = [];
    const analytics = new Analytics({ writeKey: key, host: gw.url });
    analytics.on('error', (e) => errors.push(e));
    analytics.identify({
      userId,
      traits: { email: 'ada@example.com', plan: 'pro', phone: 'not a phone' },
      context: { timezone: 'Europe/Paris', locale: 'fr-FR' },
    });
    analytics.track({ userId, event: 'Order Completed', properties: { total: 30 } });
    analytics.page({ userId, name: 'Pricing', properties: { path: '/pricing' } });
    await analytics.closeAndFlush();
    expect(errors).toEqual([]);

    expect((await rows(userId)).map((r) => r.name).sort()).toEqual(['Order Completed', 'Page Viewed']);
    const profile = await http(gw.url, 'GET', `/v1/customers/${userId}`, { key: await gw.key(['admin']) });
    expect(profile.body).toMatchObject({
      email: 'ada@example.com',
      timezone: 'Europe/Paris',
      locale: 'fr-FR',
      // A trait the profile would refuse is kept, as an attribute.
      attributes: { plan: 'pro', phone: 'not a phone' },
    });
  });

  it('@rudderstack/rudder-sdk-node (gzip, its default): batch accepted, anonymous id becomes anon:<id>', async () => {
    const anonymousId = randomUUID();
    const failures: unknown[] = [];
    const rudder = new Rudder(key, {
      dataPlaneUrl: gw.url,
      logLevel: 'error',
      errorHandler: (e) => failures.push(e),
    });
    rudder.track({ anonymousId, event: 'Order Completed', properties: { total: 12 } });
    rudder.group({ anonymousId, groupId: 'acme', traits: { seats: 5 } });
    await rudder.flush();
    expect(failures).toEqual([]);
    expect((await rows(`anon:${anonymousId}`)).map((r) => r.name)).toEqual(['Order Completed']);
    const profile = await http(gw.url, 'GET', `/v1/customers/anon:${anonymousId}`, {
      key: await gw.key(['admin']),
    });
    expect(profile.body.attributes).toEqual({ group: { id: 'acme', seats: 5 } });
  });

  it('a retried messageId counts once; Bearer and body writeKey authenticate too', async () => {
    const userId = user();
    const message = { userId, event: 'Order Completed', messageId: `m-${userId}` };
    expect((await post('/v1/track', message)).status).toBe(200);
    expect((await post('/v1/track', message, { authorization: `Bearer ${key}` })).status).toBe(200);
    const viaBody = await post('/v1/batch', { writeKey: key, batch: [{ ...message, type: 'track' }] }, {});
    expect(viaBody.status).toBe(200);
    expect((await rows(userId)).map((r) => r.eventId)).toEqual([`m-${userId}`]);
    expect((await post('/v1/track', message, {})).status).toBe(401);
    expect((await post('/v1/track', message, basic('not-a-key'))).status).toBe(401);
  });

  it('corrects the device clock: occurredAt = receivedAt − (sentAt − originalTimestamp)', async () => {
    const userId = user();
    // The device's clock is 10 years behind; the event happened 5 minutes before it was sent.
    const res = await post('/v1/track', {
      userId,
      event: 'Order Completed',
      originalTimestamp: '2016-01-01T00:00:00.000Z',
      sentAt: '2016-01-01T00:05:00.000Z',
    });
    expect(res.status).toBe(200);
    const [row] = await rows(userId);
    const lag = row!.receivedAt.getTime() - row!.occurredAt.getTime();
    expect(lag).toBeGreaterThan(5 * 60_000 - 2_000);
    expect(lag).toBeLessThan(5 * 60_000 + 2_000);
  });

  it('gzip bodies are accepted anywhere; corrupt gzip, malformed JSON and invalid messages are 400', async () => {
    const userId = user();
    const zipped = gzipSync(JSON.stringify({ userId, event: 'Order Completed' }));
    const gz = await http(gw.url, 'POST', '/v1/track', {
      raw: zipped,
      headers: { ...basic(key), 'content-encoding': 'gzip' },
    });
    expect(gz.status).toBe(200);
    expect(await rows(userId)).toHaveLength(1);
    const corrupt = await http(gw.url, 'POST', '/v1/track', {
      raw: Buffer.from('not gzip at all'),
      headers: { ...basic(key), 'content-encoding': 'gzip' },
    });
    expect(corrupt.status).toBe(400);
    expect(corrupt.body.type).toMatch(/invalid-gzip$/);
    const native = await http(gw.url, 'POST', '/v1/events', {
      raw: gzipSync(JSON.stringify({ id: 'gz-1', customerId: userId, name: 'Order Completed' })),
      headers: { authorization: `Bearer ${key}`, 'content-encoding': 'gzip' },
    });
    expect(native.status).toBe(202);
    const brotli = await http(gw.url, 'POST', '/v1/track', {
      raw: '{}',
      headers: { ...basic(key), 'content-encoding': 'br' },
    });
    expect(brotli.status).toBe(415);
    const malformed = await http(gw.url, 'POST', '/v1/track', { raw: '{"userId":', headers: basic(key) });
    expect(malformed.status).toBe(400);
    expect(malformed.body.type).toMatch(/invalid-json$/);
    const noEvent = await post('/v1/track', { userId });
    expect(noEvent.status).toBe(400);
    expect(noEvent.body.errors).toEqual([{ path: 'event', message: 'is required for track' }]);
    const noIdentity = await post('/v1/identify', { traits: {} });
    expect(noIdentity.status).toBe(400);
    expect(noIdentity.body.errors[0].path).toBe('userId');
  });

  it('32 KB per message and 500 KB per batch (400, like Segment); a bad message never rejects the others', async () => {
    const big = { userId: user(), event: 'Order Completed', properties: { blob: 'x'.repeat(33 * 1024) } };
    expect((await post('/v1/track', big)).status).toBe(400);
    const many = Array.from({ length: 20 }, () => ({
      ...big,
      type: 'track',
      properties: { b: 'x'.repeat(30_000) },
    }));
    expect((await post('/v1/batch', { batch: many })).status).toBe(400);
    const userId = user();
    const mixed = await post('/v1/batch', {
      batch: [
        { type: 'track', userId, event: 'Order Completed', messageId: 'ok-1' },
        { type: 'track', userId },
        {
          type: 'track',
          userId,
          event: 'Order Completed',
          messageId: 'nul-1',
          properties: { note: 'a\u0000b' },
        },
        { type: 'track', userId, event: 'Order Completed', messageId: 'ok-2' },
      ],
    });
    expect(mixed.status).toBe(200);
    expect(mixed.body.rejected).toHaveLength(2);
    expect(mixed.body.rejected[0]).toMatchObject({ index: 1, status: 'rejected' });
    expect(mixed.body.rejected[1]).toMatchObject({ index: 2, status: 'rejected' });
    expect(JSON.stringify(mixed.body.rejected[1])).toContain('properties.note');
    expect((await rows(userId)).map((r) => r.eventId).sort()).toEqual(['ok-1', 'ok-2']);
  });

  it('alias stores the previous id on the profile; form-encoded bodies stay 415 outside Segment routes', async () => {
    const userId = user();
    expect((await post('/v1/alias', { userId, previousId: 'anon-123' })).status).toBe(200);
    const profile = await http(gw.url, 'GET', `/v1/customers/${userId}`, { key: await gw.key(['admin']) });
    expect(profile.body.attributes).toEqual({ aliases: ['anon-123'] });
    const form = await http(gw.url, 'POST', '/v1/events', {
      raw: '{}',
      contentType: 'application/x-www-form-urlencoded',
      key,
    });
    expect(form.status).toBe(415);
  });
});
