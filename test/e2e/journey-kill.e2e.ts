import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import {
  customerWorkflowId,
  QUERIES,
  SIGNALS,
  WORKFLOW_TYPE,
  type EventSignal,
  type JourneyView,
} from '@kairos/contracts';
import { createPool, OutboxRepository } from '@kairos/persistence';
import { startDevServer, type DevServer } from '../../scripts/support/dev-server';
import { descendants, isAlive, startProcess, waitUntil, type Started } from '../support/processes';
import { testDatabaseUrl } from '../support/temporal-env';

const ROOT = path.resolve(__dirname, '..', '..');
const DELAY_MS = 5_000;

/** A trigger set with one trigger answering `ping` by a webhook after a fixed 5 s delay. */
function delayedTriggerDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-kill-triggers-'));
  fs.mkdirSync(path.join(dir, 'templates'));
  fs.writeFileSync(
    path.join(dir, 'delayed-ping.json'),
    JSON.stringify({
      id: 'delayed-ping',
      version: 1,
      pattern: { kind: 'event', name: 'ping', as: 'ping' },
      response: {
        delay: { type: 'fixed', duration: '5s' },
        channels: { order: ['webhook'] },
        template: 'plain',
        policy: { quietHours: 'ignore', caps: 'ignore' },
      },
    }),
  );
  fs.writeFileSync(
    path.join(dir, 'templates', 'plain.liquid'),
    '---\nsubject: Ping\n---\nPing {{ ping.id }}',
  );
  return dir;
}

describe('journey survives a worker killed mid-delay (real dev server, worker processes)', () => {
  let server: DevServer;
  let client: Client;
  let connection: Connection;
  let pool: Pool;
  const workers: Started[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-kill-'));
  const outboxDir = path.join(tmp, 'outbox');
  const triggersDir = delayedTriggerDir();
  const taskQueue = `kill-${process.pid}-${Date.now()}`;

  const startWorker = (): Started => {
    const w = startProcess('node', ['-r', './scripts/register.js', 'apps/worker/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: testDatabaseUrl(),
        TEMPORAL_ADDRESS: server.address,
        KAIROS_TASK_QUEUE: taskQueue,
        KAIROS_TRIGGERS_DIR: triggersDir,
        KAIROS_OUTBOX_DIR: outboxDir,
        KAIROS_EXIT_WITH_PARENT: '1',
        LOG_LEVEL: 'warn',
      },
    });
    workers.push(w);
    return w;
  };

  beforeAll(async () => {
    server = await startDevServer({ dbFile: path.join(tmp, 'temporal.db'), uiPort: null });
    connection = await Connection.connect({ address: server.address });
    client = new Client({ connection, namespace: server.namespace });
    pool = createPool(testDatabaseUrl(), 'kairos-kill-e2e', 2);
  });

  afterAll(async () => {
    for (const w of workers) {
      const pid = w.child.pid;
      if (pid === undefined) continue;
      for (const p of [pid, ...(isAlive(pid) ? descendants(pid) : [])]) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    await pool?.end();
    await connection?.close();
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(triggersDir, { recursive: true, force: true });
  });

  it('SIGKILL during the delay, a new worker process: exactly one delivery, never duplicated', async () => {
    const first = startWorker();
    await first.waitFor(/worker started/, 60_000);

    const customerId = `c-kill-${Date.now()}`;
    const workflowId = customerWorkflowId(customerId);
    const now = Date.now();
    const signal: EventSignal = {
      v: 1,
      id: 'ping-1',
      customerId,
      name: 'ping',
      category: 'customer_action',
      ts: now,
      receivedAt: now,
      properties: {},
    };
    await client.workflow.signalWithStart(WORKFLOW_TYPE, {
      workflowId,
      taskQueue,
      args: [{ v: 1, customerId }],
      signal: SIGNALS.event,
      signalArgs: [signal],
    });
    const handle = client.workflow.getHandle(workflowId);
    const pending = await waitUntil(
      async () => {
        const v = await handle.query<JourneyView>(QUERIES.journey);
        return v.pendingResponses.length === 1 ? v : undefined;
      },
      30_000,
      'the pending response',
    );
    const runAt = Date.parse(pending.pendingResponses[0]!.runAt);

    // Killed hard (no drain, no shutdown hook) while the response is still waiting.
    const exited = new Promise<void>((resolve) => first.child.once('exit', () => resolve()));
    first.child.kill('SIGKILL');
    await exited;
    expect(Date.now()).toBeLessThan(runAt);
    const outbox = new OutboxRepository(pool);
    expect(await outbox.listForCustomer(customerId)).toEqual([]);

    const second = startWorker();
    await second.waitFor(/worker started/, 60_000);
    const sent = await waitUntil(
      async () => {
        const v = await handle.query<JourneyView>(QUERIES.journey);
        return v.history.some((h) => h.status === 'sent') ? v : undefined;
      },
      60_000,
      'the send after the restart',
    );
    expect(sent.history.map((h) => [h.triggerId, h.status])).toEqual([['delayed-ping', 'sent']]);
    expect(Date.now()).toBeGreaterThanOrEqual(now + DELAY_MS);

    // A few more seconds: no second delivery appears (no replayed activity, no second timer).
    await new Promise((r) => setTimeout(r, 4_000));
    const rows = await outbox.listForCustomer(customerId);
    expect(rows.map((r) => [r.triggerId, r.channel])).toEqual([['delayed-ping', 'webhook']]);
    expect(fs.readdirSync(outboxDir).filter((f) => f.startsWith(rows[0]!.deliveryId))).toEqual([
      `${rows[0]!.deliveryId}.json`,
    ]);
    expect(fs.readdirSync(outboxDir)).toHaveLength(1);
    const final = await handle.query<JourneyView>(QUERIES.journey);
    expect(final.history).toHaveLength(1);
    expect(final.pendingResponses).toEqual([]);
  });
});
