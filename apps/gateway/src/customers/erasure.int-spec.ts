import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { customerWorkflowId, eventSignal } from '@kairos/contracts';
import {
  customerHash,
  ErasureRepository,
  EscalationsRepository,
  OutboxRepository,
} from '@kairos/persistence';
import { startTestGateway, type RunningGateway, http } from '@kairos/testing';
import { startDevServer, type DevServer } from '../../../../scripts/support/dev-server';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../../test/support/temporal-env';

/** Every text, json and array column of every table in the schema, searched for `needle`. */
async function tracesOf(pool: Pool, needle: string): Promise<string[]> {
  const columns = await pool.query<{ table: string; column: string }>(
    `SELECT c.table_name AS table, c.column_name AS column
       FROM information_schema.columns c
       JOIN information_schema.tables t
         ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = current_schema()
        AND c.data_type IN ('text', 'character varying', 'character', 'jsonb', 'json', 'ARRAY')`,
  );
  expect(columns.rows.map((c) => c.table)).toEqual(
    expect.arrayContaining(['customers', 'journey_events', 'outbox', 'responses', 'erasures']),
  );
  const found: string[] = [];
  for (const { table, column } of columns.rows) {
    const r = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM "${table}" WHERE strpos("${column}"::text, $1) > 0`,
      [needle],
    );
    if (Number(r.rows[0]!.n) > 0) found.push(`${table}.${column}`);
  }
  return found;
}

/** Files of the folder (recursively) whose name or content holds `needle`. */
function filesNaming(dir: string, needle: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .filter((f) => f.includes(needle) || fs.readFileSync(f, 'utf8').includes(needle));
}

describe('DELETE /v1/customers/{id} (real Postgres, real Temporal dev server)', () => {
  let server: DevServer;
  let temporal: Client;
  let gw: RunningGateway;
  let outboxDir: string;
  let writer: string;
  let eraser: string;

  beforeAll(async () => {
    server = await startDevServer({ uiPort: null });
    temporal = new Client({ connection: await Connection.connect({ address: server.address }) });
    outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-erasure-outbox-'));
    gw = await startTestGateway({
      databaseUrl: testDatabaseUrl(),
      temporalAddress: server.address,
      outboxDir,
    });
    writer = await gw.key(['events:write', 'customers:write', 'feedback:write', 'journeys:read'], 'app');
    eraser = await gw.key(['customers:erase'], 'privacy-officer');
  }, 120_000);

  afterAll(async () => {
    await gw?.close();
    await temporal?.connection.close();
    await server?.stop();
    if (outboxDir) fs.rmSync(outboxDir, { recursive: true, force: true });
  });

  /** A customer with a profile, a journey, events, a delivery (row and file), feedback, attribution and an escalation. */
  async function customerWithHistory(customerId: string): Promise<{ deliveryId: string }> {
    const put = await http(gw.url, 'PUT', `/v1/customers/${customerId}`, {
      key: writer,
      body: {
        email: `${customerId}@example.com`,
        consent: { email: true },
        attributes: { note: customerId },
      },
    });
    expect(put.status).toBe(201);
    // The gateway records the event in journey_events and starts the journey (no worker runs it).
    const event = await http(gw.url, 'POST', '/v1/events', {
      key: writer,
      body: { id: `e1-${customerId}`, customerId, name: 'cart.updated', properties: { cart_value: 42 } },
    });
    expect(event.body.status).toBe('accepted');
    const matchId = `m-${customerId}`;
    const deliveryId = `d${randomUUID().replace(/-/g, '')}`;
    const now = new Date();
    await new OutboxRepository(gw.pool).insertWithAttribution(
      {
        deliveryId,
        matchId,
        customerId,
        triggerId: 'abandoned-cart',
        triggerVersion: 1,
        channel: 'email',
        templateId: 'abandoned-cart',
        variant: null,
        recipient: `${customerId}@example.com`,
        subject: `Hello ${customerId}`,
        body: `Your cart, ${customerId}`,
        transport: 'outbox',
        transportRef: null,
      },
      [
        { matchId, customerId, triggerId: 'abandoned-cart', triggerVersion: 1, kind: 'fired', at: now },
        {
          matchId,
          customerId,
          triggerId: 'abandoned-cart',
          triggerVersion: 1,
          kind: 'delivered',
          channel: 'email',
          deliveryId,
          at: now,
        },
      ],
    );
    fs.writeFileSync(
      path.join(outboxDir, `${deliveryId}.json`),
      JSON.stringify({ to: `${customerId}@example.com` }),
    );
    await new EscalationsRepository(gw.pool).open({
      id: `esc-${customerId}`,
      matchId,
      customerId,
      workflowId: customerWorkflowId(customerId),
      triggerId: 'abandoned-cart',
      level: 1,
      target: 'sales',
      slaDeadline: new Date(Date.now() + 3_600_000),
    });
    const feedback = await http(gw.url, 'POST', '/v1/feedback', {
      key: writer,
      body: { deliveryId, type: 'opened', at: now.toISOString() },
    });
    expect(feedback.status).toBe(202);
    return { deliveryId };
  }

  /** Deleting a running run terminates and deletes it at once; describe may lag a moment. */
  async function workflowGone(customerId: string): Promise<boolean> {
    for (let i = 0; i < 50; i++) {
      try {
        await temporal.workflow.getHandle(customerWorkflowId(customerId)).describe();
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return true;
        throw err;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return false;
  }

  it('leaves no row, file or workflow naming the customer, keeps others, and records the erasure by key', async () => {
    const customerId = `erase-me-${randomUUID().slice(0, 8)}`;
    const bystander = `keep-me-${randomUUID().slice(0, 8)}`;
    const { deliveryId } = await customerWithHistory(customerId);
    const kept = await customerWithHistory(bystander);
    expect(await tracesOf(gw.pool, customerId)).toEqual(
      expect.arrayContaining([
        'customers.profile',
        'outbox.body',
        'journey_events.customer_id',
        'responses.customer_id',
      ]),
    );
    expect((await temporal.workflow.getHandle(customerWorkflowId(customerId)).describe()).status.name).toBe(
      'RUNNING',
    );

    // customers:write is not enough to erase.
    const forbidden = await http(gw.url, 'DELETE', `/v1/customers/${customerId}`, { key: writer });
    expect(forbidden.status).toBe(403);

    const erased = await http(gw.url, 'DELETE', `/v1/customers/${customerId}`, { key: eraser });
    expect([erased.status, erased.status === 200 ? '' : erased.text]).toEqual([200, '']);
    expect(erased.body).toMatchObject({
      customerId,
      status: 'erased',
      files: 1,
      workflowRuns: 1,
      rows: {
        customers: 1,
        journey_events: 1,
        outbox: 1,
        attribution_log: 2,
        responses: 1,
        escalations: 1,
      },
    });

    expect(await tracesOf(gw.pool, customerId)).toEqual([]);
    expect(filesNaming(outboxDir, customerId)).toEqual([]);
    expect(fs.existsSync(path.join(outboxDir, `${deliveryId}.json`))).toBe(false);
    expect(await workflowGone(customerId)).toBe(true);
    await expect(
      temporal.workflow.getHandle(customerWorkflowId(customerId)).fetchHistory(),
    ).rejects.toThrow();
    expect((await http(gw.url, 'GET', `/v1/customers/${customerId}`, { key: writer })).status).toBe(404);

    // The bystander keeps everything.
    expect(await tracesOf(gw.pool, bystander)).toEqual(
      expect.arrayContaining([
        'customers.profile',
        'outbox.body',
        'responses.customer_id',
        'escalations.customer_id',
      ]),
    );
    expect(fs.existsSync(path.join(outboxDir, `${kept.deliveryId}.json`))).toBe(true);
    expect((await http(gw.url, 'GET', `/v1/customers/${bystander}`, { key: writer })).status).toBe(200);

    const records = await new ErasureRepository(gw.pool).listFor(customerId);
    expect(records).toEqual([
      expect.objectContaining({
        customerHash: customerHash(customerId),
        keyName: 'privacy-officer',
        files: 1,
        workflowRuns: 1,
      }),
    ]);
    expect(records[0]!.customerHash).not.toContain(customerId);
  }, 60_000);

  it('is idempotent, and an event after the erasure starts a new, empty journey', async () => {
    const customerId = `erase-twice-${randomUUID().slice(0, 8)}`;
    await customerWithHistory(customerId);
    expect((await http(gw.url, 'DELETE', `/v1/customers/${customerId}`, { key: eraser })).status).toBe(200);
    expect(await workflowGone(customerId)).toBe(true);

    const again = await http(gw.url, 'DELETE', `/v1/customers/${customerId}`, { key: eraser });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ customerId, status: 'erased', rows: {}, files: 0, workflowRuns: 0 });
    expect(await new ErasureRepository(gw.pool).listFor(customerId)).toHaveLength(2);

    const event = await http(gw.url, 'POST', '/v1/events', {
      key: writer,
      body: { id: `e2-${customerId}`, customerId, name: 'cart.updated', properties: { cart_value: 7 } },
    });
    expect(event.body.status).toBe('accepted');
    const history = await temporal.workflow.getHandle(customerWorkflowId(customerId)).fetchHistory();
    const signals = (history.events ?? [])
      .map((e) => e.workflowExecutionSignaledEventAttributes)
      .filter((a) => a?.signalName === eventSignal.name)
      .map((a) => JSON.parse(Buffer.from(a!.input!.payloads![0]!.data!).toString()) as { id: string });
    expect(signals.map((s) => s.id)).toEqual([`e2-${customerId}`]);
    expect((await http(gw.url, 'GET', `/v1/customers/${customerId}`, { key: writer })).status).toBe(404);
  }, 60_000);

  it('answers 400 for an invalid id and 401 without a key; admin may erase', async () => {
    expect((await http(gw.url, 'DELETE', '/v1/customers/bad%20id', { key: eraser })).status).toBe(400);
    expect((await http(gw.url, 'DELETE', '/v1/customers/someone')).status).toBe(401);
    const admin = await gw.key(['admin'], 'ops');
    expect((await http(gw.url, 'DELETE', '/v1/customers/never-seen', { key: admin })).status).toBe(200);
  });
});

describe('DELETE /v1/customers/{id} on a Temporal server that cannot delete histories', () => {
  let env: TestWorkflowEnvironment;
  let gw: RunningGateway;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    gw = await startTestGateway({ databaseUrl: testDatabaseUrl(), temporalAddress: env.address });
  });

  afterAll(async () => {
    await gw?.close();
    await env?.teardown();
  });

  it('stops the journey and answers 501 without erasing anything (never "erased" with the history kept)', async () => {
    const customerId = `no-delete-${randomUUID().slice(0, 8)}`;
    const writer = await gw.key(['events:write', 'customers:write']);
    await http(gw.url, 'PUT', `/v1/customers/${customerId}`, { key: writer, body: { timezone: 'UTC' } });
    const event = await http(gw.url, 'POST', '/v1/events', {
      key: writer,
      body: { id: 'e1', customerId, name: 'cart.updated', properties: { cart_value: 1 } },
    });
    expect(event.body.status).toBe('accepted');
    const erased = await http(gw.url, 'DELETE', `/v1/customers/${customerId}`, {
      key: await gw.key(['customers:erase']),
    });
    expect([erased.status, erased.body.type]).toEqual([
      501,
      'https://kairos.dev/problems/erasure-unsupported',
    ]);
    const described = await env.client.workflow.getHandle(customerWorkflowId(customerId)).describe();
    expect(described.status.name).toBe('TERMINATED');
    expect((await http(gw.url, 'GET', `/v1/customers/${customerId}`, { key: writer })).status).toBe(200);
    expect(await new ErasureRepository(gw.pool).listFor(customerId)).toEqual([]);
  });
});
