import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { customerWorkflowId, profileChangedSignal, WORKFLOW_TYPE } from '@kairos/contracts';
import { OutboxRepository } from '@kairos/persistence';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../../test/support/temporal-env';
import { startTestGateway, type RunningGateway, http } from '@kairos/testing';

describe('consent: opt-outs from feedback, kept by PUT (real Postgres, real Temporal test server)', () => {
  let env: TestWorkflowEnvironment;
  let gw: RunningGateway;
  let key: string;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    gw = await startTestGateway({ databaseUrl: testDatabaseUrl(), temporalAddress: env.address });
    key = await gw.key(['feedback:write', 'customers:write'], 'app');
  });

  afterAll(async () => {
    await gw?.close();
    await env?.teardown();
  });

  const customer = () => `consent_${randomUUID().slice(0, 8)}`;
  const put = (customerId: string, body: unknown) =>
    http(gw.url, 'PUT', `/v1/customers/${customerId}`, { key, body });
  const get = async (customerId: string) =>
    (await http(gw.url, 'GET', `/v1/customers/${customerId}`, { key })).body as Record<string, unknown>;

  /** A sent delivery on `channel`, optionally with a running journey (no worker: signals stay in its history). */
  async function delivery(customerId: string, channel: string, withJourney = false): Promise<string> {
    const deliveryId = `d_${randomUUID().replace(/-/g, '')}`;
    await new OutboxRepository(gw.pool).insert({
      deliveryId,
      matchId: `m_${deliveryId}`,
      customerId,
      triggerId: 'abandoned-cart',
      triggerVersion: 1,
      channel,
      templateId: 'abandoned-cart',
      variant: null,
      recipient: 'r',
      subject: null,
      body: 'b',
      transport: 'outbox',
      transportRef: null,
    });
    if (withJourney)
      await env.client.workflow.start(WORKFLOW_TYPE, {
        taskQueue: 'kairos-consent-test',
        workflowId: customerWorkflowId(customerId),
        args: [{ v: 1, customerId }],
      });
    return deliveryId;
  }

  const feedback = (deliveryId: string, type: string, at = '2026-11-24T10:00:00Z') =>
    http(gw.url, 'POST', '/v1/feedback', { key, body: { deliveryId, type, at } });

  async function profileSignals(customerId: string): Promise<number> {
    const history = await env.client.workflow.getHandle(customerWorkflowId(customerId)).fetchHistory();
    return (history.events ?? []).filter(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName === profileChangedSignal.name,
    ).length;
  }

  it('an unsubscribe withdraws that channel only, keeps the profile and tells the journey', async () => {
    const id = customer();
    await put(id, { email: 'a@example.com', phone: '+33612345678', consent: { email: true, sms: true } });
    const d = await delivery(id, 'email', true);
    expect((await feedback(d, 'unsubscribed')).status).toBe(202);
    expect(await get(id)).toMatchObject({
      email: 'a@example.com',
      phone: '+33612345678',
      consent: { email: false, sms: true },
    });
    expect(await profileSignals(id)).toBe(1);
  });

  it('a complaint withdraws SMS consent; opens and clicks change nothing', async () => {
    const id = customer();
    await put(id, { phone: '+33612345678', consent: { sms: true, email: true } });
    const d = await delivery(id, 'sms');
    await feedback(d, 'opened');
    await feedback(d, 'clicked');
    expect((await get(id)).consent).toEqual({ sms: true, email: true });
    await feedback(d, 'complained');
    expect((await get(id)).consent).toEqual({ sms: false, email: true });
  });

  it('records the opt-out even for a customer without a profile, and a later PUT without consent keeps it', async () => {
    const id = customer();
    await feedback(await delivery(id, 'push'), 'unsubscribed');
    expect((await get(id)).consent).toEqual({ push: false });
    const created = await put(id, { pushTokens: ['tok'], timezone: 'Europe/Paris' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ pushTokens: ['tok'], consent: { push: false } });
  });

  it('webhook deliveries need no consent: their unsubscribes write nothing', async () => {
    const id = customer();
    await put(id, { email: 'w@example.com' });
    await feedback(await delivery(id, 'webhook'), 'unsubscribed');
    expect((await get(id)).consent).toBeUndefined();
  });

  it('a repeated unsubscribe after a new opt-in withdraws again', async () => {
    const id = customer();
    await put(id, { email: 'r@example.com', consent: { email: true } });
    const d = await delivery(id, 'email');
    await feedback(d, 'unsubscribed', '2026-11-24T10:00:00Z');
    await put(id, { email: 'r@example.com', consent: { email: true } });
    expect((await get(id)).consent).toEqual({ email: true });
    await feedback(d, 'unsubscribed', '2026-11-25T10:00:00Z');
    expect((await get(id)).consent).toEqual({ email: false });
  });

  it('PUT replaces every field but consent: omitted flags keep their value, given flags win', async () => {
    const id = customer();
    await put(id, {
      email: 'p@example.com',
      timezone: 'Europe/Paris',
      consent: { email: false, sms: true },
      attributes: { plan: 'pro' },
    });
    const second = await put(id, { phone: '+33612345678' });
    expect(second.body).toMatchObject({ phone: '+33612345678', consent: { email: false, sms: true } });
    expect(second.body).not.toHaveProperty('email');
    expect(second.body).not.toHaveProperty('timezone');
    expect(second.body).not.toHaveProperty('attributes');
    const third = await put(id, { consent: { email: true } });
    expect((third.body as { consent: unknown }).consent).toEqual({ email: true, sms: true });
  });
});
