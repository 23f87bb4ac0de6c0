import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { customerWorkflowId, feedbackSignal, WORKFLOW_TYPE } from '@kairos/contracts';
import { OutboxRepository, ResponsesRepository } from '@kairos/persistence';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../../test/support/temporal-env';
import { startTestGateway, type RunningGateway, http } from '@kairos/testing';
import { signTrackingToken, singleTrackingKey } from '@kairos/codec';

const SECRET = 'kairos-feedback-test-secret';

describe('feedback and tracking links (real Postgres, real Temporal test server)', () => {
  let env: TestWorkflowEnvironment;
  let gw: RunningGateway;
  let writer: string;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    gw = await startTestGateway({
      databaseUrl: testDatabaseUrl(),
      temporalAddress: env.address,
      trackingKeys: singleTrackingKey(SECRET),
    });
    writer = await gw.key(['feedback:write'], 'provider');
  });

  afterAll(async () => {
    await gw?.close();
    await env?.teardown();
  });

  /** A sent delivery and a running journey (no worker: the signals stay in its history). */
  async function delivery(
    withJourney = true,
  ): Promise<{ deliveryId: string; customerId: string; matchId: string }> {
    const customerId = `fb_${randomUUID().slice(0, 8)}`;
    const deliveryId = `d_${randomUUID().replace(/-/g, '')}`;
    const matchId = `m_${randomUUID().slice(0, 8)}`;
    await new OutboxRepository(gw.pool).insert({
      deliveryId,
      matchId,
      customerId,
      triggerId: 'abandoned-cart',
      triggerVersion: 1,
      channel: 'email',
      templateId: 'abandoned-cart',
      variant: 'now',
      recipient: 'a@example.com',
      subject: 's',
      body: 'b',
      transport: 'outbox',
      transportRef: null,
    });
    if (withJourney)
      await env.client.workflow.start(WORKFLOW_TYPE, {
        taskQueue: 'kairos-feedback-test',
        workflowId: customerWorkflowId(customerId),
        args: [{ v: 1, customerId }],
      });
    return { deliveryId, customerId, matchId };
  }

  async function feedbackSignals(customerId: string): Promise<Record<string, unknown>[]> {
    const history = await env.client.workflow.getHandle(customerWorkflowId(customerId)).fetchHistory();
    return (history.events ?? [])
      .map((e) => e.workflowExecutionSignaledEventAttributes)
      .filter((a): a is NonNullable<typeof a> => a?.signalName === feedbackSignal.name)
      .map(
        (a) =>
          JSON.parse(Buffer.from(a.input?.payloads?.[0]?.data ?? new Uint8Array()).toString()) as Record<
            string,
            unknown
          >,
      );
  }

  it('stores a provider callback against its delivery and signals the journey once', async () => {
    const d = await delivery();
    const body = { deliveryId: d.deliveryId, type: 'opened', at: '2026-11-24T10:00:00+01:00' };
    const first = await http(gw.url, 'POST', '/v1/feedback', { key: writer, body });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ deliveryId: d.deliveryId, type: 'opened', status: 'accepted' });
    // A repeat gets the same answer; it is neither stored nor signalled again.
    const again = await http(gw.url, 'POST', '/v1/feedback', { key: writer, body });
    expect([again.status, again.body]).toEqual([202, first.body]);
    expect(await feedbackSignals(d.customerId)).toEqual([
      {
        v: 1,
        deliveryId: d.deliveryId,
        matchId: d.matchId,
        type: 'opened',
        at: Date.parse('2026-11-24T09:00:00Z'),
      },
    ]);
    const rows = await new ResponsesRepository(gw.pool).listForDelivery(d.deliveryId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      type: 'opened',
      matchId: d.matchId,
      customerId: d.customerId,
      triggerId: 'abandoned-cart',
      channel: 'email',
      variant: 'now',
      source: 'provider',
    });
  });

  it('answers an unknown delivery id exactly like a known one (no existence oracle) and stores nothing', async () => {
    const d = await delivery(false);
    const answer = async (deliveryId: string) => {
      const res = await http(gw.url, 'POST', '/v1/feedback', {
        key: writer,
        body: { deliveryId, type: 'clicked', at: '2026-11-24T10:00:00Z' },
      });
      return { status: res.status, body: res.body as Record<string, unknown> };
    };
    const known = await answer(d.deliveryId);
    const unknown = await answer('d_never_sent');
    expect(unknown).toEqual({ ...known, body: { ...known.body, deliveryId: 'd_never_sent' } });
    expect(known).toEqual({
      status: 202,
      body: { deliveryId: d.deliveryId, type: 'clicked', status: 'accepted' },
    });
    expect(await new ResponsesRepository(gw.pool).listForDelivery('d_never_sent')).toEqual([]);
    const metrics = await http(gw.url, 'GET', '/metrics');
    expect(metrics.text).toMatch(/kairos_gateway_feedback_total\{outcome="ignored"\} [1-9]/);
  });

  it('400 for a bad body; 403 for a key without feedback:write (events:write is not enough)', async () => {
    const bad = await http(gw.url, 'POST', '/v1/feedback', {
      key: writer,
      body: { deliveryId: '', type: 'liked', at: 'now' },
    });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
      'at',
      'deliveryId',
      'type',
    ]);
    for (const scope of ['reports:read', 'events:write'] as const) {
      const other = await gw.key([scope]);
      expect((await http(gw.url, 'POST', '/v1/feedback', { key: other, body: {} })).status).toBe(403);
    }
    const admin = await gw.key(['admin']);
    const d = await delivery(false);
    const byAdmin = await http(gw.url, 'POST', '/v1/feedback', {
      key: admin,
      body: { deliveryId: d.deliveryId, type: 'delivered', at: '2026-11-24T10:00:00Z' },
    });
    expect(byAdmin.status).toBe(202);
  });

  it('records a delivery without a journey', async () => {
    const d = await delivery(false);
    const res = await http(gw.url, 'POST', '/v1/feedback', {
      key: writer,
      body: { deliveryId: d.deliveryId, type: 'bounced', at: '2026-11-24T10:00:00Z' },
    });
    expect(res.body).toMatchObject({ status: 'accepted' });
    const rows = await new ResponsesRepository(gw.pool).listForDelivery(d.deliveryId);
    expect(rows.map((r) => [r.type, r.source])).toEqual([['bounced', 'provider']]);
  });

  it('serves the open pixel without a key, records `opened` and signals the journey', async () => {
    const d = await delivery();
    const res = await fetch(`${gw.url}/t/o/${signTrackingToken(SECRET, d.deliveryId)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/gif');
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 6)
        .toString(),
    ).toBe('GIF89a');
    const rows = await new ResponsesRepository(gw.pool).listForDelivery(d.deliveryId);
    expect(rows.map((r) => [r.type, r.source])).toEqual([['opened', 'pixel']]);
    expect((await feedbackSignals(d.customerId)).map((s) => s.type)).toEqual(['opened']);
    // A forged token still gets the image, and nothing is recorded.
    const forged = await fetch(`${gw.url}/t/o/${signTrackingToken('another-secret-000', d.deliveryId)}`);
    expect(forged.status).toBe(200);
    expect(await new ResponsesRepository(gw.pool).listForDelivery(d.deliveryId)).toHaveLength(1);
  });

  it('redirects a click link to its signed target and records `clicked`; forged links are 404', async () => {
    const d = await delivery();
    const target = 'https://shop.example/cart?id=7&utm=kairos';
    const res = await fetch(`${gw.url}/t/c/${signTrackingToken(SECRET, d.deliveryId, target)}`, {
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(target);
    const rows = await new ResponsesRepository(gw.pool).listForDelivery(d.deliveryId);
    expect(rows.map((r) => [r.type, r.source, r.url])).toEqual([['clicked', 'link', target]]);
    expect((await feedbackSignals(d.customerId)).map((s) => s.type)).toEqual(['clicked']);
    const forged = await fetch(
      `${gw.url}/t/c/${signTrackingToken('another-secret-000', d.deliveryId, 'https://evil.example')}`,
      {
        redirect: 'manual',
      },
    );
    expect(forged.status).toBe(404);
  });
});
