/**
 * `npm run bench -- load`: a bounded loopback load test of the whole stack as users run it: a
 * Temporal dev server (SQLite), an embedded PostgreSQL, and the worker and gateway as separate
 * processes. Keep-alive HTTP clients hold RATE events/s for SECONDS across CUSTOMERS customers
 * (names drawn from the example triggers, so journeys match, wait and send), then the run reports
 * the accepted rate, p50/p99 latency, errors, what the worker recorded, and how Temporal history
 * grew (SQLite size and the history length of a sample of journeys). Figures go to
 * .kairos/bench/load.json and the committed summary bench-results/load.md.
 * Environment: KAIROS_LOAD_RATE (default 40, what a shared 2-core machine holds), KAIROS_LOAD_SECONDS (60), KAIROS_LOAD_CUSTOMERS (10000).
 */
import { type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';
import { Client, Connection } from '@temporalio/client';
import { customerWorkflowId } from '@kairos/contracts';
import { findFreePort } from '@kairos/testing';
import { ApiKeysRepository, createPool, runMigrations } from '@kairos/persistence';
import { startEmbeddedPostgres } from '@kairos/persistence/embedded';
import { startDevServer } from '../support/dev-server';
import { ROOT, startApp, stopApp } from './support/app-process';
import { postJson } from './support/gateway-client';
import { quantile } from './support/stats';
import { sqliteBytes } from './support/sqlite-size';

const RATE = Number(process.env.KAIROS_LOAD_RATE ?? 40);
const SECONDS = Number(process.env.KAIROS_LOAD_SECONDS ?? 60);
const CUSTOMERS = Number(process.env.KAIROS_LOAD_CUSTOMERS ?? 10_000);
const SAMPLE = 50;
const NAMES = [
  'product.viewed',
  'cart.updated',
  'pricing.viewed',
  'demo.viewed',
  'session.started',
  'page.viewed',
];

type Result = { status: number; ms: number; outcome: string };

async function post(agent: http.Agent, port: number, key: string, body: string): Promise<Result> {
  const r = await postJson(agent, { port, path: '/v1/events', key }, body);
  const outcome = r.status === 0 ? 'network-error' : (/"status":"(\w+)"/.exec(r.text)?.[1] ?? '');
  return { status: r.status, ms: r.ms, outcome };
}

/** The worker, then the gateway, as child processes; each is pushed to `apps` once started. */
async function startApps(
  apps: ChildProcess[],
  stack: { databaseUrl: string; temporalAddress: string; dir: string; port: number },
): Promise<void> {
  const { dir, port } = stack;
  const common = {
    DATABASE_URL: stack.databaseUrl,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    KAIROS_TASK_QUEUE: 'kairos-load',
    LOG_LEVEL: 'warn',
  };
  // One after the other: both apply migrations at start.
  apps.push(
    await startApp(
      'apps/worker/src/main.ts',
      { ...common, KAIROS_OUTBOX_DIR: path.join(dir, 'outbox') },
      /worker started/,
      path.join(dir, 'worker.log'),
    ),
  );
  apps.push(
    await startApp(
      'apps/gateway/src/main.ts',
      { ...common, PORT: String(port), KAIROS_RATE_LIMIT_PER_MIN: '100000' },
      /gateway listening/,
      path.join(dir, 'gateway.log'),
    ),
  );
}

/** Sends RATE * SECONDS events on an open-loop schedule and waits for every answer. */
async function sendLoad(agent: http.Agent, port: number, key: string) {
  process.stdout.write(`load: ${RATE} events/s for ${SECONDS} s across ${CUSTOMERS} customers\n`);
  const results: Result[] = [];
  const pending: Promise<void>[] = [];
  const total = RATE * SECONDS;
  const started = performance.now();
  let maxInFlight = 0;
  let inFlight = 0;
  // Open-loop schedule: event i leaves at started + i/RATE, whatever the previous answers do.
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const customerId = `load-${(i * 7919) % CUSTOMERS}`;
    const body = JSON.stringify({
      id: `load-${i}`,
      customerId,
      name: NAMES[i % NAMES.length],
      properties: { cart_id: `k${i % 97}`, total: i % 300, sku: `p-${i % 50}` },
    });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    pending.push(
      post(agent, port, key, body).then((r) => {
        inFlight--;
        results.push(r);
      }),
    );
  }
  const sendSeconds = (performance.now() - started) / 1000;
  await Promise.all(pending);
  const wallSeconds = (performance.now() - started) / 1000;
  return { results, total, sendSeconds, wallSeconds, maxInFlight };
}

/** The answers counted by outcome, and their latencies sorted. */
function tally(results: Result[]) {
  const accepted = results.filter((r) => r.status === 202).length;
  // `ignored` = no trigger uses the name: counted for volume, not signalled to a journey.
  const signalled = results.filter((r) => r.status === 202 && r.outcome === 'accepted').length;
  const ignored = results.filter((r) => r.status === 202 && r.outcome === 'ignored').length;
  const errors = results.filter((r) => r.status !== 202);
  const latencies = results.map((r) => r.ms).sort((a, b) => a - b);
  const errorsByStatus: Record<string, number> = {};
  for (const e of errors) errorsByStatus[String(e.status)] = (errorsByStatus[String(e.status)] ?? 0) + 1;
  return { accepted, signalled, ignored, errors, latencies, errorsByStatus };
}

/** Lets the worker drain what Temporal accepted (3 min at most), then counts what it recorded. */
async function drainWorker(pool: Pool, signalled: number) {
  const drainStart = performance.now();
  let recorded = 0;
  for (;;) {
    recorded = Number(
      (
        await pool.query<{ n: string }>(
          "SELECT count(*) AS n FROM journey_events WHERE customer_id LIKE 'load-%'",
        )
      ).rows[0]?.n ?? 0,
    );
    if (recorded >= signalled || performance.now() - drainStart > 180_000) break;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  return { recorded, drainSeconds: (performance.now() - drainStart) / 1000 };
}

/** History lengths of the first SAMPLE journeys that exist, and how many journeys there are. */
async function sampleHistories(client: Client, total: number) {
  const lengths: number[] = [];
  // Customers whose events were all `ignored` (no trigger uses the name) have no journey.
  for (let s = 0; lengths.length < SAMPLE && s < total; s++) {
    const id = customerWorkflowId(`load-${(s * 7919) % CUSTOMERS}`);
    const d = await client.workflow
      .getHandle(id)
      .describe()
      .catch(() => undefined);
    if (d) lengths.push(d.historyLength);
  }
  const journeys = (await client.workflow.count("WorkflowType = 'customerJourneyWorkflow'")).count;
  return { lengths, journeys };
}

/** The figures of load.json and bench-results/load.md. */
function figuresOf(
  load: Awaited<ReturnType<typeof sendLoad>>,
  counts: ReturnType<typeof tally>,
  drain: Awaited<ReturnType<typeof drainWorker>>,
  histories: Awaited<ReturnType<typeof sampleHistories>>,
  sqlite: { before: number; after: number },
) {
  const { results, total, sendSeconds, wallSeconds, maxInFlight } = load;
  const { accepted, signalled, ignored, errors, latencies, errorsByStatus } = counts;
  const { lengths, journeys } = histories;
  const eventsPerSampled = (SECONDS * RATE) / CUSTOMERS;
  return {
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? '?', node: process.version },
    target: { ratePerS: RATE, seconds: SECONDS, customers: CUSTOMERS, events: total },
    sent: results.length,
    accepted,
    signalled,
    ignored,
    acceptedRatePerS: Math.round((accepted / wallSeconds) * 10) / 10,
    scheduleHeldS: Math.round(sendSeconds * 10) / 10,
    wallS: Math.round(wallSeconds * 10) / 10,
    latencyMs: {
      p50: Math.round(quantile(latencies, 0.5) * 10) / 10,
      p99: Math.round(quantile(latencies, 0.99) * 10) / 10,
      max: Math.round((latencies.at(-1) ?? 0) * 10) / 10,
    },
    maxInFlight,
    errors: errors.length,
    errorsByStatus,
    worker: { recordedEvents: drain.recorded, drainS: Math.round(drain.drainSeconds * 10) / 10 },
    temporal: {
      journeys,
      sqliteBytesBefore: sqlite.before,
      sqliteBytesAfter: sqlite.after,
      sqliteBytesPerAcceptedEvent: accepted ? Math.round((sqlite.after - sqlite.before) / accepted) : 0,
      sampledJourneys: SAMPLE,
      meanEventsPerSampledJourney: Math.round(eventsPerSampled * 10) / 10,
      historyLength: {
        mean: Math.round((lengths.reduce((a, b) => a + b, 0) / lengths.length) * 10) / 10,
        max: Math.max(...lengths),
        total: lengths.reduce((a, b) => a + b, 0),
      },
    },
  };
}

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-load-'));
  const dbFile = path.join(dir, 'temporal.db');
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), persistent: false });
  const temporal = await startDevServer({ dbFile, uiPort: null, logFile: path.join(dir, 'temporal.log') });
  const apps: ChildProcess[] = [];
  let connection: Connection | undefined;
  const pool = createPool(pg.url, 'kairos-bench-load', 2);
  try {
    await runMigrations(pg.url);
    const port = await findFreePort();
    await startApps(apps, { databaseUrl: pg.url, temporalAddress: temporal.address, dir, port });
    const key = (await new ApiKeysRepository(pool).create('bench-load', ['events:write'])).key;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
    const sqliteBefore = sqliteBytes(dbFile);

    const load = await sendLoad(agent, port, key);
    agent.destroy();
    const counts = tally(load.results);
    const drain = await drainWorker(pool, counts.signalled);

    connection = await Connection.connect({ address: temporal.address });
    const client = new Client({ connection, namespace: temporal.namespace });
    const histories = await sampleHistories(client, load.total);
    const figures = figuresOf(load, counts, drain, histories, {
      before: sqliteBefore,
      after: sqliteBytes(dbFile),
    });
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    const outDir = path.join(ROOT, '.kairos', 'bench');
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, 'load.json'), `${JSON.stringify(figures, null, 2)}\n`);
    fs.mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'bench-results', 'load.md'), summary(figures));
  } finally {
    await connection?.close();
    for (const child of apps.reverse()) await stopApp(child);
    await pool.end();
    await temporal.stop();
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function summary(f: {
  at: string;
  machine: { cpus: number; cpu: string; node: string };
  target: { ratePerS: number; seconds: number; customers: number; events: number };
  accepted: number;
  signalled: number;
  ignored: number;
  acceptedRatePerS: number;
  scheduleHeldS: number;
  wallS: number;
  latencyMs: { p50: number; p99: number; max: number };
  errors: number;
  errorsByStatus: Record<string, number>;
  worker: { recordedEvents: number; drainS: number };
  temporal: {
    journeys: number;
    sqliteBytesBefore: number;
    sqliteBytesAfter: number;
    sqliteBytesPerAcceptedEvent: number;
    sampledJourneys: number;
    historyLength: { mean: number; max: number };
  };
}): string {
  const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(1)} MiB`;
  return `# Load test (\`npm run bench -- load\`)

Generated by [scripts/bench/load.bench.ts](../scripts/bench/load.bench.ts) on ${f.at}
(${f.machine.cpus} cores, ${f.machine.cpu}, Node ${f.machine.node}). Everything on one machine over
loopback: Temporal dev server (SQLite), embedded PostgreSQL, worker and gateway processes, and
an open-loop keep-alive HTTP load generator, all sharing the same cores.

| figure | value |
| --- | --- |
| target | ${f.target.ratePerS} events/s for ${f.target.seconds} s across ${f.target.customers} customers (${f.target.events} events) |
| accepted (202) | ${f.accepted} of ${f.target.events} (${f.signalled} signalled to journeys, ${f.ignored} \`ignored\`: no trigger uses the name) |
| accepted rate | ${f.acceptedRatePerS} events/s (schedule held for ${f.scheduleHeldS} s, last answer at ${f.wallS} s) |
| latency p50 / p99 / max | ${f.latencyMs.p50} ms / ${f.latencyMs.p99} ms / ${f.latencyMs.max} ms |
| errors | ${f.errors} ${f.errors ? JSON.stringify(f.errorsByStatus) : ''} |
| events recorded by the worker | ${f.worker.recordedEvents} of ${f.signalled} signalled (${f.worker.recordedEvents >= f.signalled ? 'all recorded' : 'counted'} ${f.worker.drainS} s after the last answer) |
| journeys (workflows) | ${f.temporal.journeys} |
| Temporal SQLite growth | ${mb(f.temporal.sqliteBytesBefore)} -> ${mb(f.temporal.sqliteBytesAfter)} (${f.temporal.sqliteBytesPerAcceptedEvent} bytes per accepted event) |
| history length, ${f.temporal.sampledJourneys} sampled journeys | mean ${f.temporal.historyLength.mean}, max ${f.temporal.historyLength.max} events |

Rerun with other figures: \`KAIROS_LOAD_RATE=100 KAIROS_LOAD_SECONDS=30 npm run bench -- load\`.
`;
}
