import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowNotFoundError } from '@temporalio/client';
import { customerWorkflowId } from '@kairos/contracts';
import { http, startTestGateway, type RunningGateway } from '@kairos/testing';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../../test/support/temporal-env';

const NDJSON = 'application/x-ndjson';

/** `count` valid lines over 10 customers of `prefix`, ids `<prefix>-e<n>`. */
function history(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      id: `${prefix}-e${i}`,
      customerId: `${prefix}-c${i % 10}`,
      name: i % 2 ? 'Order Completed' : 'cart.updated',
      occurredAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
      properties: { total: i },
    }),
  );
}

describe('POST /v1/import (real Postgres, real Temporal test server)', () => {
  let env: TestWorkflowEnvironment;
  let gw: RunningGateway;
  let importer: string;
  let reader: string;
  const send = (body: string | Buffer, headers: Record<string, string> = {}, key = importer) =>
    http(gw.url, 'POST', '/v1/import', { key, raw: body, contentType: NDJSON, headers });
  const rowsOf = async (prefix: string): Promise<number> =>
    Number(
      (
        await gw.pool.query<{ n: string }>(
          'SELECT count(*) AS n FROM journey_events WHERE customer_id LIKE $1',
          [`${prefix}-c%`],
        )
      ).rows[0]!.n,
    );

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    gw = await startTestGateway({ databaseUrl: testDatabaseUrl(), temporalAddress: env.address });
    importer = await gw.key(['events:import'], 'importer');
    reader = await gw.key(['journeys:read'], 'reader');
  });

  afterAll(async () => {
    await gw?.close();
    await env?.teardown();
  });

  it('imports 1,000 lines, reports the bad ones by line and field, starts no journey; a re-import is all duplicates', async () => {
    const p = `imp${randomUUID().slice(0, 8)}`;
    const lines = history(p, 995);
    lines.splice(10, 0, '{"id": "x", oops');
    lines.splice(
      100,
      0,
      JSON.stringify({ customerId: `${p}-c1`, name: 'a', occurredAt: '2025-01-01T00:00:00Z' }),
    );
    lines.splice(
      200,
      0,
      JSON.stringify({ id: 'b', customerId: 'bad id!', name: 'a', occurredAt: '2025-01-01T00:00:00Z' }),
    );
    lines.splice(
      300,
      0,
      JSON.stringify({ id: 'c', customerId: `${p}-c1`, name: 'a', occurredAt: 'yesterday' }),
    );
    lines.splice(
      400,
      0,
      JSON.stringify({
        id: 'd',
        customerId: `${p}-c1`,
        name: 'a',
        occurredAt: '2025-01-01T00:00:00Z',
        extra: 1,
      }),
    );
    const body = `${lines.join('\n')}\n`;

    const res = await send(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      received: 1000,
      imported: 995,
      duplicates: 0,
      rejected: 5,
      errors: [
        { line: 11, field: '(line)', message: expect.stringContaining('not JSON') },
        { line: 101, field: 'id', message: 'required' },
        { line: 201, field: 'customerId', message: expect.stringContaining('1-128 characters') },
        { line: 301, field: 'occurredAt', message: expect.stringContaining('ISO-8601') },
        { line: 401, field: '(line)', message: 'unknown field(s) extra' },
      ],
    });
    expect(await rowsOf(p)).toBe(995);
    const row = await gw.pool.query(
      'SELECT name, occurred_at, received_at, workflow_id, properties FROM journey_events WHERE customer_id = $1 AND event_id = $2',
      [`${p}-c3`, `${p}-e3`],
    );
    expect(row.rows[0]).toEqual({
      name: 'Order Completed',
      occurred_at: new Date(Date.UTC(2025, 0, 1) + 3 * 60_000),
      received_at: new Date(Date.UTC(2025, 0, 1) + 3 * 60_000),
      workflow_id: customerWorkflowId(`${p}-c3`),
      properties: { total: 3 },
    });

    // Nothing was signalled: no journey exists for any imported customer.
    for (const customer of [`${p}-c0`, `${p}-c1`, `${p}-c9`]) {
      await expect(
        env.client.workflow.getHandle(customerWorkflowId(customer)).describe(),
      ).rejects.toBeInstanceOf(WorkflowNotFoundError);
      const journey = await http(gw.url, 'GET', `/v1/customers/${customer}/journey`, { key: reader });
      expect(journey.status).toBe(404);
    }

    const again = await send(body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ received: 1000, imported: 0, duplicates: 995, rejected: 5 });
    expect(await rowsOf(p)).toBe(995);
  });

  it('reads a gzip body (Content-Encoding: gzip)', async () => {
    const p = `imp${randomUUID().slice(0, 8)}`;
    const res = await send(gzipSync(history(p, 300).join('\n')), { 'content-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: 300, imported: 300, duplicates: 0, rejected: 0, errors: [] });
    expect(await rowsOf(p)).toBe(300);
  });

  it("reads Segment/RudderStack track lines and structured CloudEvents with their live endpoints' mappers", async () => {
    const p = `imp${randomUUID().slice(0, 8)}`;
    const lines = [
      {
        type: 'track',
        messageId: `${p}-m1`,
        userId: `${p}-c1`,
        event: 'Order Completed',
        properties: { total: 12 },
        timestamp: '2025-03-01T10:00:00.000Z',
      },
      {
        type: 'page',
        messageId: `${p}-m2`,
        anonymousId: 'a1',
        userId: `${p}-c2`,
        name: 'Home',
        timestamp: '2025-03-01T10:01:00.000Z',
      },
      {
        specversion: '1.0',
        id: `${p}-ce1`,
        source: '/shop',
        type: 'cart.updated',
        subject: `${p}-c3`,
        time: '2025-03-01T10:02:00Z',
        data: { items: 2 },
      },
      { type: 'identify', userId: `${p}-c4`, traits: { email: 'a@example.com' } },
      { type: 'track', userId: `${p}-c5`, event: 'No Id', timestamp: '2025-03-01T10:03:00.000Z' },
    ].map((l) => JSON.stringify(l));
    const res = await send(lines.join('\n'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      received: 5,
      imported: 3,
      duplicates: 0,
      rejected: 2,
      errors: [
        { line: 4, field: 'type', message: expect.stringContaining('track, page and screen') },
        { line: 5, field: 'id', message: 'required' },
      ],
    });
    const rows = await gw.pool.query<{ customer_id: string; name: string; occurred_at: Date }>(
      'SELECT customer_id, name, occurred_at FROM journey_events WHERE customer_id LIKE $1 ORDER BY customer_id',
      [`${p}-c%`],
    );
    expect(rows.rows).toEqual([
      { customer_id: `${p}-c1`, name: 'Order Completed', occurred_at: new Date('2025-03-01T10:00:00Z') },
      { customer_id: `${p}-c2`, name: 'Page Viewed', occurred_at: new Date('2025-03-01T10:01:00Z') },
      { customer_id: `${p}-c3`, name: 'cart.updated', occurred_at: new Date('2025-03-01T10:02:00Z') },
    ]);
  });

  it('refuses 100,001 lines with 413 and imports none of them', async () => {
    const p = `imp${randomUUID().slice(0, 8)}`;
    const res = await send(gzipSync(history(p, 100_001).join('\n')), { 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({
      status: 413,
      detail: expect.stringContaining('at most 100,000 events'),
    });
    expect(await rowsOf(p)).toBe(0);
  }, 30_000);

  it('needs the events:import scope and an NDJSON body', async () => {
    const writer = await gw.key(['events:write'], 'writer');
    const line = history(`imp${randomUUID().slice(0, 8)}`, 1)[0]!;
    expect((await send(line, {}, writer)).status).toBe(403);
    const json = await http(gw.url, 'POST', '/v1/import', {
      key: importer,
      raw: line,
      contentType: 'application/json',
    });
    expect(json.status).toBe(415);
    const bad = await send(Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' });
    expect(bad.status).toBe(400);
    expect(bad.body.type).toMatch(/invalid-gzip$/);
  });
});
