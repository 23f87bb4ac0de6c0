import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { customerWorkflowId, eventSignal } from '@kairos/contracts';
import { findFreePort, startTestGateway, type RunningGateway, http } from '@kairos/testing';
import { startDevServer, type DevServer } from '../../../scripts/support/dev-server';
import { testDatabaseUrl } from '../../../test/support/temporal-env';

describe('gateway while Temporal stops mid-run (real dev server, SQLite persistence)', () => {
  let dir: string;
  let port: number;
  let server: DevServer | undefined;
  let gw: RunningGateway;
  let key: string;

  const start = (): Promise<DevServer> =>
    startDevServer({ dbFile: path.join(dir, 'temporal.db'), port, uiPort: null });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-gw-outage-'));
    port = await findFreePort();
    server = await start();
    gw = await startTestGateway({
      databaseUrl: testDatabaseUrl(),
      temporalAddress: server.address,
      temporalTimeoutMs: 2_000,
      retryAfterS: 7,
    });
    key = await gw.key(['events:write']);
  });

  afterAll(async () => {
    await gw?.close();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After while Temporal is down, 202 again after it is back, and loses nothing accepted', async () => {
    const customerId = 'c_outage';
    const send = (id: string) =>
      http(gw.url, 'POST', '/v1/events', { key, body: { id, customerId, name: 'cart.updated' } });
    expect((await send('before')).body.status).toBe('accepted');

    await server!.stop();
    const started = Date.now();
    const down = await send('during');
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('7');
    expect(down.body).toMatchObject({
      type: 'https://kairos.dev/problems/temporal-unavailable',
      status: 503,
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    const batch = await http(gw.url, 'POST', '/v1/events/batch', {
      key,
      body: {
        events: [
          { id: 'during-b', customerId, name: 'cart.updated' },
          { customerId, name: 'page.viewed' },
        ],
      },
    });
    expect(batch.status).toBe(200);
    expect((batch.body.results as { status: string }[]).map((r) => r.status)).toEqual([
      'rejected',
      'ignored',
    ]);
    expect(batch.body.results[0].error.status).toBe(503);
    expect(batch.headers.get('retry-after')).toBe('7');
    const ready = await http(gw.url, 'GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.detail).toMatch(/temporal: down, postgres: up/);

    server = await start();
    // The client retries with the same id, as docs/api.md §3 tells it to, until Temporal answers.
    let retried = await send('during');
    for (let i = 0; retried.status === 503 && i < 30; i++) {
      await new Promise((r) => setTimeout(r, 1_000));
      retried = await send('during');
    }
    expect(retried.status).toBe(202);
    expect(retried.body.status).toBe('accepted');

    const connection = await Connection.connect({ address: server.address });
    try {
      const history = await new Client({ connection }).workflow
        .getHandle(customerWorkflowId(customerId))
        .fetchHistory();
      const ids = (history.events ?? [])
        .map((e) => e.workflowExecutionSignaledEventAttributes)
        .filter((a): a is NonNullable<typeof a> => !!a && a.signalName === eventSignal.name)
        .map((a) => (JSON.parse(Buffer.from(a.input!.payloads![0]!.data!).toString()) as { id: string }).id);
      expect(ids).toEqual(['before', 'during']);
    } finally {
      await connection.close();
    }
    const metrics = await http(gw.url, 'GET', '/metrics');
    expect(metrics.text).toMatch(/kairos_gateway_errors_total\{kind="temporal_unavailable"\} [1-9]/);
    expect(metrics.text).toMatch(
      /kairos_gateway_temporal_signals_total\{signal="kairos.event",outcome="error"\} [1-9]/,
    );
  });
});
