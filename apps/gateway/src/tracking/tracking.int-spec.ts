import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { customerWorkflowId, feedbackSignal, WORKFLOW_TYPE } from '@kairos/contracts';
import { DEV_TRACKING_SECRET, signTrackingToken } from '@kairos/codec';
import { OutboxRepository, ResponsesRepository } from '@kairos/persistence';
import { startTestGateway, type RunningGateway } from '@kairos/testing';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../../test/support/temporal-env';

// Rotated keys: links signed before the rotation (k1) keep working beside new ones (k2).
const NEW = { kid: 'k2', secret: 'tracking-int-spec-new-key-0000000002' };
const OLD = { kid: 'k1', secret: 'tracking-int-spec-old-key-0000000001' };
const TARGET = 'https://shop.example/cart?id=7';

describe('tracking links against the gateway (real Postgres, real Temporal test server)', () => {
  let env: TestWorkflowEnvironment;
  let gw: RunningGateway;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    gw = await startTestGateway({
      databaseUrl: testDatabaseUrl(),
      temporalAddress: env.address,
      trackingKeys: [NEW, OLD],
    });
  });

  afterAll(async () => {
    await gw?.close();
    await env?.teardown();
  });

  /** A sent delivery with a running journey (no worker: signals stay in its history). */
  async function delivery(): Promise<{ deliveryId: string; customerId: string }> {
    const customerId = `tr_${randomUUID().slice(0, 8)}`;
    const deliveryId = `d_${randomUUID().replace(/-/g, '')}`;
    await new OutboxRepository(gw.pool).insert({
      deliveryId,
      matchId: `m_${randomUUID().slice(0, 8)}`,
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
    await env.client.workflow.start(WORKFLOW_TYPE, {
      taskQueue: 'kairos-tracking-test',
      workflowId: customerWorkflowId(customerId),
      args: [{ v: 1, customerId }],
    });
    return { deliveryId, customerId };
  }

  const rows = (deliveryId: string) => new ResponsesRepository(gw.pool).listForDelivery(deliveryId);
  const get = (path: string, method = 'GET') => fetch(`${gw.url}${path}`, { method, redirect: 'manual' });

  async function signalTypes(customerId: string): Promise<string[]> {
    const history = await env.client.workflow.getHandle(customerWorkflowId(customerId)).fetchHistory();
    return (history.events ?? [])
      .map((e) => e.workflowExecutionSignaledEventAttributes)
      .filter((a): a is NonNullable<typeof a> => a?.signalName === feedbackSignal.name)
      .map((a) => {
        const data = a.input?.payloads?.[0]?.data ?? new Uint8Array();
        return (JSON.parse(Buffer.from(data).toString()) as { type: string }).type;
      });
  }

  it('answers 404 without Location for a token forged with the development key for a made-up delivery', async () => {
    const forged = signTrackingToken(DEV_TRACKING_SECRET, 'made-up-delivery', 'https://evil.example/phish');
    for (const method of ['GET', 'HEAD']) {
      const res = await get(`/t/c/${forged}`, method);
      expect(res.status).toBe(404);
      expect(res.headers.get('location')).toBeNull();
    }
  });

  it('answers 404 without Location for a genuinely signed link whose delivery does not exist', async () => {
    const token = signTrackingToken([NEW], `d_gone_${randomUUID()}`, 'https://evil.example/phish');
    for (const method of ['GET', 'HEAD']) {
      const res = await get(`/t/c/${token}`, method);
      expect(res.status).toBe(404);
      expect(res.headers.get('location')).toBeNull();
    }
  });

  it('counts the first click once: repeated and concurrent clicks are not re-inserted nor re-signalled', async () => {
    const d = await delivery();
    const token = signTrackingToken([NEW], d.deliveryId, TARGET);
    const first = await get(`/t/c/${token}`);
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe(TARGET);
    const again = await Promise.all([1, 2, 3, 4].map(() => get(`/t/c/${token}`)));
    expect(again.map((r) => r.status)).toEqual([302, 302, 302, 302]);
    // Another link of the same message is another click of the same delivery: still the first counts.
    const other = await get(`/t/c/${signTrackingToken([NEW], d.deliveryId, 'https://shop.example/b')}`);
    expect(other.headers.get('location')).toBe('https://shop.example/b');
    const stored = await rows(d.deliveryId);
    expect(stored.map((r) => [r.type, r.source, r.url])).toEqual([['clicked', 'link', TARGET]]);
    expect(await signalTypes(d.customerId)).toEqual(['clicked']);
  });

  it('counts the first open once however often the pixel is loaded', async () => {
    const d = await delivery();
    const pixel = `/t/o/${signTrackingToken([NEW], d.deliveryId)}`;
    const loads = await Promise.all([1, 2, 3].map(() => get(pixel)));
    loads.push(await get(pixel));
    expect(loads.map((r) => [r.status, r.headers.get('content-type')])).toEqual(
      Array(4).fill([200, 'image/gif']),
    );
    expect((await rows(d.deliveryId)).map((r) => [r.type, r.source])).toEqual([['opened', 'pixel']]);
    expect(await signalTypes(d.customerId)).toEqual(['opened']);
  });

  it('answers HEAD like GET without recording anything (link scanners, prefetching proxies)', async () => {
    const d = await delivery();
    const click = `/t/c/${signTrackingToken([NEW], d.deliveryId, TARGET)}`;
    const pixel = `/t/o/${signTrackingToken([NEW], d.deliveryId)}`;
    const headClick = await get(click, 'HEAD');
    expect(headClick.status).toBe(302);
    expect(headClick.headers.get('location')).toBe(TARGET);
    const headOpen = await get(pixel, 'HEAD');
    expect(headOpen.status).toBe(200);
    expect(headOpen.headers.get('content-type')).toBe('image/gif');
    expect(await rows(d.deliveryId)).toEqual([]);
    expect(await signalTypes(d.customerId)).toEqual([]);
    // The reader's own GET afterwards is the first click.
    expect((await get(click)).status).toBe(302);
    expect((await rows(d.deliveryId)).map((r) => r.type)).toEqual(['clicked']);
  });

  it('still follows links signed with a rotated-out key that is kept for verification', async () => {
    const d = await delivery();
    const res = await get(`/t/c/${signTrackingToken([OLD], d.deliveryId, TARGET)}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(TARGET);
    expect((await rows(d.deliveryId)).map((r) => r.type)).toEqual(['clicked']);
  });
});
