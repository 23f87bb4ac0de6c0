// Real processes for the chaos suite: a Temporal dev server on a SQLite file, the worker and the
// gateway spawned as `node` processes (as `npm run start:worker|gateway` would), a webhook sink and
// an SMTP sink standing in for the providers, and the checks that every accepted event and every response is
// accounted for exactly once.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { Client, Connection } from '@temporalio/client';
import { customerWorkflowId, QUERIES } from '@kairos/contracts';
import { findFreePort } from '@kairos/testing';
import { ApiKeysRepository } from '@kairos/persistence';
import { startDevServer, type DevServer } from '../../scripts/support/dev-server';
import { isAlive, startProcess, waitUntil, type Started } from '../support/processes';
import { startSmtpSink, type SmtpSink } from './smtp-sink';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CHAOS_TRIGGERS_DIR = path.join(__dirname, 'fixtures', 'triggers');
const PROVIDER_SECRET = 'chaos-provider-secret-0123456789';

/** Every process spawned by the suite, killed at the end whatever happened. */
const spawned = new Set<Started>();
export function killAllSpawned(): void {
  for (const p of spawned) {
    if (p.child.pid && isAlive(p.child.pid)) p.child.kill('SIGKILL');
  }
  spawned.clear();
}

/** A provider endpoint that records every delivery it receives (by Idempotency-Key). */
export type WebhookSink = {
  url: string;
  /** Idempotency-Key of every request, in arrival order (a retried send appears twice). */
  received: string[];
  /** Delay before answering, to keep sends in flight while a fault strikes. */
  delayMs: number;
  close(): Promise<void>;
};

export async function startWebhookSink(delayMs = 0): Promise<WebhookSink> {
  const sink: WebhookSink = { url: '', received: [], delayMs, close: async () => undefined };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const key = req.headers['idempotency-key'];
      sink.received.push(typeof key === 'string' ? key : '(none)');
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      }, sink.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  sink.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
  sink.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return sink;
}

export type Stack = {
  dir: string;
  databaseUrl: string;
  pool: Pool;
  temporal: DevServer;
  sink: WebhookSink;
  /** The mail provider (SMTP_URL of the worker): chaos.mail responses arrive here. */
  smtp: SmtpSink;
  gatewayUrl: string;
  /** events:write and customers:write (chaos.mail customers need a profile with an address). */
  key: string;
  worker: Started;
  gateway: Started;
  startTemporal(): Promise<DevServer>;
  startWorker(): Promise<Started>;
  startGateway(): Promise<Started>;
  stop(): Promise<void>;
};

/** Runs a TypeScript entry point in its own node process and waits for its ready line. */
export async function startNode(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<Started> {
  const p = startProcess(process.execPath, ['-r', './scripts/register.js', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
  });
  spawned.add(p);
  await p.waitFor(ready, 90_000);
  return p;
}

const nodeProcess = (script: string, env: NodeJS.ProcessEnv, ready: RegExp): Promise<Started> =>
  startNode(script, [], env, ready);

/** Stops a spawned process: SIGTERM (or the given signal) and wait for it to exit. */
export async function stopProcess(p: Started, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => p.child.once('exit', () => resolve()));
  p.child.kill(signal);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
  spawned.delete(p);
}

/** Dev server + worker + gateway over `databaseUrl` (already migrated), on free ports. */
export async function startStack(options: {
  name: string;
  databaseUrl: string;
  sinkDelayMs?: number;
  smtpDelayMs?: number;
  gatewayEnv?: NodeJS.ProcessEnv;
}): Promise<Stack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kairos-chaos-${options.name}-`));
  const temporalPort = await findFreePort();
  const gatewayPort = await findFreePort();
  const sink = await startWebhookSink(options.sinkDelayMs ?? 0);
  const smtp = await startSmtpSink(options.smtpDelayMs ?? 0);
  const pool = new Pool({ connectionString: options.databaseUrl, max: 2 });
  // A stopped Postgres must not crash the test process through an idle client's error.
  pool.on('error', () => undefined);
  const taskQueue = `chaos-${options.name}-${Date.now()}`;
  const common: NodeJS.ProcessEnv = {
    DATABASE_URL: options.databaseUrl,
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    KAIROS_TASK_QUEUE: taskQueue,
    KAIROS_TRIGGERS_DIR: CHAOS_TRIGGERS_DIR,
  };
  const startTemporal = (): Promise<DevServer> =>
    startDevServer({
      dbFile: path.join(dir, 'temporal.db'),
      port: temporalPort,
      uiPort: null,
      logFile: path.join(dir, 'temporal.log'),
    });
  const startWorker = (): Promise<Started> =>
    nodeProcess(
      'apps/worker/src/main.ts',
      {
        ...common,
        KAIROS_OUTBOX_DIR: path.join(dir, 'outbox'),
        KAIROS_WEBHOOK_URL: sink.url,
        KAIROS_PROVIDER_SECRET: PROVIDER_SECRET,
        SMTP_URL: smtp.url,
      },
      /worker started/,
    );
  const startGateway = (): Promise<Started> =>
    nodeProcess(
      'apps/gateway/src/main.ts',
      {
        ...common,
        PORT: String(gatewayPort),
        KAIROS_RATE_LIMIT_PER_MIN: '100000',
        KAIROS_TEMPORAL_TIMEOUT_MS: '3000',
        ...options.gatewayEnv,
      },
      /gateway listening/,
    );
  const temporal = await startTemporal();
  let worker: Started;
  let gateway: Started;
  try {
    // One after the other: both apply migrations at start, and node-pg-migrate's lock makes the
    // second fail ("Another migration is already running") instead of waiting.
    worker = await startWorker();
    gateway = await startGateway();
  } catch (err) {
    killAllSpawned();
    await temporal.stop();
    await sink.close();
    await smtp.close();
    await pool.end();
    throw err;
  }
  const key = (
    await new ApiKeysRepository(pool).create(`chaos-${options.name}`, ['events:write', 'customers:write'])
  ).key;
  const stack: Stack = {
    dir,
    databaseUrl: options.databaseUrl,
    pool,
    temporal,
    sink,
    smtp,
    gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
    key,
    worker,
    gateway,
    startTemporal,
    startWorker,
    startGateway,
    stop: async () => {
      await Promise.all([stopProcess(stack.gateway), stopProcess(stack.worker)]);
      await stack.temporal.stop();
      await sink.close();
      await smtp.close();
      await pool.end();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

export type SentEvent = {
  id: string;
  customerId: string;
  name: 'chaos.now' | 'chaos.later' | 'chaos.mail';
};

/**
 * Posts one event until the gateway accepts it, retrying with the same id on a network error or a
 * 5xx/429 (what docs/api.md §3 tells clients to do). Returns the final status of the answer.
 */
export async function postUntilAccepted(
  gatewayUrl: string,
  key: string,
  event: SentEvent,
  deadlineMs = 60_000,
): Promise<{ status: string; attempts: number }> {
  const deadline = Date.now() + deadlineMs;
  let last = '';
  for (let attempts = 1; ; attempts++) {
    try {
      const res = await fetch(`${gatewayUrl}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await res.json().catch(() => ({}))) as { status?: string };
      if (res.status === 202) return { status: body.status ?? '?', attempts };
      last = `${res.status} ${JSON.stringify(body)}`;
      if (res.status < 500 && res.status !== 429) throw new Error(`event ${event.id} refused: ${res.status}`);
    } catch (err) {
      if (err instanceof Error && err.message.includes('refused')) throw err;
      last = String(err);
    }
    if (Date.now() > deadline) throw new Error(`event ${event.id} never accepted; last answer: ${last}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export type Accounting = {
  events: number;
  missingEvents: string[];
  deliveries: number;
  fired: number;
  delivered: number;
  duplicateAttribution: number;
  providerDistinct: number;
  providerDuplicates: number;
  providerUnknown: number;
};

/** Counts, for customers with this prefix, what reached Postgres and the provider. */
export async function account(stack: Stack, prefix: string, sent: SentEvent[]): Promise<Accounting> {
  const like = `${prefix}%`;
  const ev = await stack.pool.query<{ customer_id: string; event_id: string }>(
    'SELECT customer_id, event_id FROM journey_events WHERE customer_id LIKE $1',
    [like],
  );
  const seen = new Set(ev.rows.map((r) => `${r.customer_id}/${r.event_id}`));
  const out = await stack.pool.query<{ delivery_id: string }>(
    'SELECT delivery_id FROM outbox WHERE customer_id LIKE $1',
    [like],
  );
  const attr = await stack.pool.query<{ kind: string; n: string; distinct_matches: string }>(
    `SELECT kind, count(*) AS n, count(DISTINCT match_id) AS distinct_matches
       FROM attribution_log WHERE customer_id LIKE $1 GROUP BY kind`,
    [like],
  );
  const kind = (k: string) => attr.rows.find((r) => r.kind === k);
  const deliveryIds = new Set(out.rows.map((r) => r.delivery_id));
  const providerKeys = stack.sink.received.filter((k) => deliveryIds.has(k) || k.startsWith('(none)'));
  return {
    events: ev.rowCount ?? 0,
    missingEvents: sent.filter((s) => !seen.has(`${s.customerId}/${s.id}`)).map((s) => s.id),
    deliveries: deliveryIds.size,
    fired: Number(kind('fired')?.n ?? 0),
    delivered: Number(kind('delivered')?.n ?? 0),
    duplicateAttribution: attr.rows.reduce((n, r) => n + Number(r.n) - Number(r.distinct_matches), 0),
    providerDistinct: new Set(providerKeys).size,
    providerDuplicates: providerKeys.length - new Set(providerKeys).size,
    providerUnknown: stack.sink.received.filter((k) => !deliveryIds.has(k)).length,
  };
}

/** Waits until every sent event and every expected response is accounted for (or times out). */
export async function waitForAccounting(
  stack: Stack,
  prefix: string,
  sent: SentEvent[],
  timeoutMs: number,
): Promise<Accounting> {
  let last: Accounting | undefined;
  try {
    return await waitUntil(
      async () => {
        last = await account(stack, prefix, sent);
        return last.events === sent.length &&
          last.deliveries === sent.length &&
          last.delivered === sent.length
          ? last
          : undefined;
      },
      timeoutMs,
      `every event and response of ${prefix}* to be accounted for`,
    );
  } catch (err) {
    const like = `${prefix}%`;
    const byTrigger = await stack.pool
      .query<{ trigger_id: string; kind: string; n: string }>(
        'SELECT trigger_id, kind, count(*) AS n FROM attribution_log WHERE customer_id LIKE $1 GROUP BY 1, 2 ORDER BY 1, 2',
        [like],
      )
      .then((r) => r.rows)
      .catch(() => []);
    // The journey's own view of one customer (counters.late, history) says where matches went.
    const view = await journeyView(stack, sent[0]?.customerId ?? '').catch((e: unknown) => String(e));
    throw new Error(
      `${String(err)}; last count: ${JSON.stringify(last)}; attribution by trigger: ${JSON.stringify(byTrigger)}; journey of ${sent[0]?.customerId}: ${JSON.stringify(view).slice(0, 3000)}`,
    );
  }
}

async function journeyView(stack: Stack, customerId: string): Promise<unknown> {
  const connection = await Connection.connect({ address: stack.temporal.address, connectTimeout: 2_000 });
  try {
    const client = new Client({ connection, namespace: stack.temporal.namespace });
    return await client.workflow.getHandle(customerWorkflowId(customerId)).query(QUERIES.journey);
  } finally {
    await connection.close();
  }
}

/** The customers and events of one scenario: `customers` customers, one now + one later event each. */
export function scenarioEvents(prefix: string, customers: number, round = 0): SentEvent[] {
  const out: SentEvent[] = [];
  for (let c = 0; c < customers; c++) {
    const customerId = `${prefix}${c}`;
    // Ids unique across customers: matchId (and so deliveryId) does not include the customer,
    // so equal event ids of two customers collide in the outbox (reported; see the final note).
    out.push({ id: `${prefix}r${round}-now-${c}`, customerId, name: 'chaos.now' });
    out.push({ id: `${prefix}r${round}-later-${c}`, customerId, name: 'chaos.later' });
  }
  return out;
}
