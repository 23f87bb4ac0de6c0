import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { customerWorkflowId, eventSignal } from '@kairos/contracts';
import { EventVolumeRepository, JourneyEventsRepository } from '@kairos/persistence';
import {
  http,
  startGatewayStack,
  type GatewayStack,
  type RunningGateway,
  type TriggerFolder,
} from '@kairos/testing';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../../test/support/temporal-env';
import { VolumeService } from '../volume/volume.service';

/** A trigger whose names are Segment's and other scripts' (pattern, exit rule, conversion goal). */
const TRIGGERS: TriggerFolder = {
  templates: { 'thank-you': '---\nsubject: Thanks\n---\nThanks!' },
  triggers: [
    {
      id: 'thank-you',
      version: 1,
      pattern: { kind: 'event', name: 'Order Completed' },
      response: {
        channels: { order: ['email'] },
        template: 'thank-you',
        exitOn: [{ kind: 'event', name: 'Unsubscribed 🚫' }],
        conversion: { event: { kind: 'event', name: 'Commande passée' }, window: '7d' },
      },
    },
  ],
};

describe('event names as tracking tools send them (real Postgres, real Temporal test server)', () => {
  let stack: GatewayStack<TestWorkflowEnvironment>;
  let env: TestWorkflowEnvironment;
  let gw: RunningGateway;
  let writer: string;
  const c = (): string => `c_${randomUUID().slice(0, 8)}`;
  const send = (body: unknown) => http(gw.url, 'POST', '/v1/events', { key: writer, body });

  beforeAll(async () => {
    stack = await startGatewayStack({
      temporal: createTimeSkippingEnv,
      databaseUrl: testDatabaseUrl(),
      triggers: TRIGGERS,
    });
    ({ env, gateway: gw } = stack);
    writer = await gw.key(['events:write'], 'writer');
  });

  afterAll(() => stack?.close());

  it('accepts "Order Completed" (202), stores and signals it unchanged; "order completed" wakes nothing', async () => {
    const customerId = c();
    const res = await send({ id: 'n1', customerId, name: 'Order Completed', properties: { total: 30 } });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: 'n1', status: 'accepted', workflowId: customerWorkflowId(customerId) });
    const other = await send({ id: 'n2', customerId, name: 'order completed' });
    expect(other.status).toBe(202);
    expect(other.body.status).toBe('ignored');

    const rows = await new JourneyEventsRepository(gw.pool).listForCustomer(customerId);
    expect(rows.map((r) => [r.eventId, r.name])).toEqual([['n1', 'Order Completed']]);
    const history = await env.client.workflow.getHandle(customerWorkflowId(customerId)).fetchHistory();
    const names = (history.events ?? [])
      .map((e) => e.workflowExecutionSignaledEventAttributes)
      .filter((a) => a?.signalName === eventSignal.name)
      .map((a) => {
        const data = Buffer.from(a?.input?.payloads?.[0]?.data ?? new Uint8Array()).toString();
        return (JSON.parse(data) as { name: string }).name;
      });
    expect(names).toEqual(['Order Completed']);

    // The volume report (and the unseen-name warning that reads it) counts each spelling apart.
    await gw.app.get(VolumeService).flush();
    const volume = new EventVolumeRepository(gw.pool);
    const window = { from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 60_000) };
    const statuses = async (name: string) =>
      new Set((await volume.list({ ...window, name })).map((r) => r.status));
    expect(await statuses('Order Completed')).toContain('accepted');
    expect(await statuses('order completed')).toEqual(new Set(['ignored']));
  });

  it('wakes journeys for Unicode exit-rule and conversion names, in a batch too', async () => {
    const res = await http(gw.url, 'POST', '/v1/events/batch', {
      key: writer,
      body: {
        events: [
          { customerId: c(), name: 'Unsubscribed 🚫' },
          { customerId: c(), name: 'Commande passée' },
          // Decomposed é: a different name, matched exactly, never normalized.
          { customerId: c(), name: 'Commande passe\u0301e' },
          { customerId: c(), name: 'Order Completed ' },
        ],
      },
    });
    expect(res.status).toBe(200);
    const results = res.body.results as { status: string; error?: { errors: { path: string }[] } }[];
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'ignored', 'rejected']);
    expect(results[3]?.error?.errors.map((e) => e.path)).toEqual(['name']);
  });

  it.each([
    ['a trailing space', 'Order Completed ', /must not start or end with whitespace.*"Order Completed"/],
    ['a tab', 'Order\tCompleted', /control characters.*U\+0009 at character 6/],
    ['201 characters', 'x'.repeat(201), /at most 200 characters/],
  ])('400 for a name with %s, naming the field and the fix', async (_, name, message) => {
    const res = await send({ customerId: c(), name });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'name', message: expect.stringMatching(message) as string }]);
  });

  // Refused before the schema by the body check for text Postgres cannot store (app.ts), same path.
  it('400 for a lone surrogate sent as a JSON escape', async () => {
    const res = await http(gw.url, 'POST', '/v1/events', {
      key: writer,
      raw: `{"customerId":"${c()}","name":"Order \\ud83d Completed"}`,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: 'name', message: expect.stringMatching(/unpaired surrogate/) as string },
    ]);
  });
});
