import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { customerWorkflowId, escalationAckSignal, WORKFLOW_TYPE } from '@kairos/contracts';
import { EscalationsRepository } from '@kairos/persistence';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../../test/support/temporal-env';
import { startTestGateway, type RunningGateway, http } from '@kairos/testing';

describe('escalations (real Postgres, real Temporal test server)', () => {
  let env: TestWorkflowEnvironment;
  let gw: RunningGateway;
  let admin: string;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    gw = await startTestGateway({ databaseUrl: testDatabaseUrl(), temporalAddress: env.address });
    admin = await gw.key(['journeys:read', 'customers:write'], 'sales');
  });

  afterAll(async () => {
    await gw?.close();
    await env?.teardown();
  });

  async function open(withJourney: boolean): Promise<{ id: string; customerId: string }> {
    const customerId = `esc_${randomUUID().slice(0, 8)}`;
    const id = `esc-${randomUUID()}`;
    await new EscalationsRepository(gw.pool).open({
      id,
      matchId: `m-${id}`,
      customerId,
      workflowId: customerWorkflowId(customerId),
      triggerId: 'pricing-interest',
      level: 1,
      target: 'sales-team',
      slaDeadline: new Date(Date.now() + 4 * 3_600_000),
    });
    if (withJourney)
      await env.client.workflow.start(WORKFLOW_TYPE, {
        taskQueue: 'kairos-escalations-test',
        workflowId: customerWorkflowId(customerId),
        args: [{ v: 1, customerId }],
      });
    return { id, customerId };
  }

  it('lists open escalations and signals the waiting journey on ack', async () => {
    const e = await open(true);
    const list = await http(gw.url, 'GET', `/v1/escalations?status=open&customerId=${e.customerId}`, {
      key: admin,
    });
    expect(list.status).toBe(200);
    expect(list.body.escalations).toHaveLength(1);
    expect(list.body.escalations[0]).toMatchObject({
      id: e.id,
      status: 'open',
      target: 'sales-team',
      level: 1,
    });
    const ack = await http(gw.url, 'POST', `/v1/escalations/${e.id}/ack`, {
      key: admin,
      body: { by: 'maria', outcome: 'accepted' },
    });
    expect(ack.status).toBe(202);
    expect(ack.body).toEqual({ id: e.id, status: 'signalled' });
    const history = await env.client.workflow.getHandle(customerWorkflowId(e.customerId)).fetchHistory();
    const signals = (history.events ?? [])
      .map((x) => x.workflowExecutionSignaledEventAttributes)
      .filter((a) => a?.signalName === escalationAckSignal.name)
      .map(
        (a) => JSON.parse(Buffer.from(a!.input!.payloads![0]!.data!).toString()) as Record<string, unknown>,
      );
    expect(signals).toEqual([
      { v: 1, escalationId: e.id, by: 'maria', outcome: 'accepted', at: expect.any(Number) },
    ]);
  });

  it('acks the row itself when no journey runs, then answers 409; 404 unknown; 400 bad body', async () => {
    const e = await open(false);
    const ack = await http(gw.url, 'POST', `/v1/escalations/${e.id}/ack`, {
      key: admin,
      body: { by: 'li', outcome: 'dismissed' },
    });
    expect(ack.body).toEqual({ id: e.id, status: 'acked' });
    expect(await new EscalationsRepository(gw.pool).get(e.id)).toMatchObject({
      status: 'acked',
      ackedBy: 'li',
      outcome: 'dismissed',
    });
    const again = await http(gw.url, 'POST', `/v1/escalations/${e.id}/ack`, {
      key: admin,
      body: { by: 'li', outcome: 'accepted' },
    });
    expect(again.status).toBe(409);
    expect(
      (
        await http(gw.url, 'POST', '/v1/escalations/nope/ack', {
          key: admin,
          body: { by: 'x', outcome: 'accepted' },
        })
      ).status,
    ).toBe(404);
    const bad = await http(gw.url, 'POST', `/v1/escalations/${e.id}/ack`, {
      key: admin,
      body: { outcome: 'maybe' },
    });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { path: string }[]).map((x) => x.path).sort()).toEqual(['by', 'outcome']);
    expect((await http(gw.url, 'GET', '/v1/escalations?status=closed', { key: admin })).status).toBe(400);
  });
});
