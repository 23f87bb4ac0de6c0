/**
 * `npm run bench -- gateway`: events/s the gateway accepts (HTTP -> zod -> auth -> signal-with-start)
 * against a real Temporal dev server, side by side with the raw Temporal client doing the same
 * signal-with-start calls directly (the physical limit of this path), with p50/p99 latency of
 * both. Everything runs here: an embedded Postgres, a dev server, the gateway in-process, and the
 * load generators (bounded: EVENTS events per run at CONCURRENCY in flight). No worker is needed:
 * signal-with-start succeeds without one. Target: gateway rate >= 85% of the raw client's.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import {
  customerWorkflowId,
  SIGNALS,
  WORKFLOW_TYPE,
  type EventSignal,
  type JourneyInput,
} from '@kairos/contracts';
import { startBenchGateway } from './support/bench-gateway';

const EVENTS = Number(process.env.KAIROS_BENCH_EVENTS ?? 3000);
const CONCURRENCY = Number(process.env.KAIROS_BENCH_CONCURRENCY ?? 32);
const ROUNDS = 2;
const TARGET = 0.85;
const TASK_QUEUE = 'kairos-bench';
const EVENT_NAME = 'bench.viewed';

type RunStats = {
  events: number;
  seconds: number;
  rate: number;
  p50ms: number;
  p99ms: number;
  errors: number;
};

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Runs `count` calls with `concurrency` in flight; each call returns false on error. */
async function drive(
  count: number,
  concurrency: number,
  call: (i: number) => Promise<boolean>,
): Promise<RunStats> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const lane = async (): Promise<void> => {
    for (let i = next++; i < count; i = next++) {
      const t0 = performance.now();
      const ok = await call(i).catch(() => false);
      latencies.push(performance.now() - t0);
      if (!ok) errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const round = (n: number): number => Math.round(n * 100) / 100;
  return {
    events: count,
    seconds: round(seconds),
    rate: Math.round((count - errors) / seconds),
    p50ms: round(quantile(latencies, 0.5)),
    p99ms: round(quantile(latencies, 0.99)),
    errors,
  };
}

function combine(runs: RunStats[]): RunStats {
  const events = runs.reduce((n, r) => n + r.events, 0);
  const errors = runs.reduce((n, r) => n + r.errors, 0);
  const seconds = runs.reduce((n, r) => n + r.seconds, 0);
  return {
    events,
    seconds: Math.round(seconds * 100) / 100,
    rate: Math.round((events - errors) / seconds),
    p50ms: Math.max(...runs.map((r) => r.p50ms)),
    p99ms: Math.max(...runs.map((r) => r.p99ms)),
    errors,
  };
}

type Sender = (prefix: string) => (i: number) => Promise<boolean>;
type Log = (line: string) => void;

/** POST /v1/events over node:http; true when the gateway answers 202 `accepted`. */
function viaGatewayOf(agent: http.Agent, url: string, key: string): Sender {
  const target = new URL(url);
  return (prefix) => (i) =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({
        id: `${prefix}-${i}`,
        customerId: `${prefix}-c${i % 500}`,
        name: EVENT_NAME,
        properties: { i, page: '/products/42' },
      });
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: {
            authorization: `Bearer ${key}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve(res.statusCode === 202 && text.includes('"accepted"')));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

/** The same signal-with-start the gateway makes, straight from a Temporal client. */
function viaRawClientOf(client: Client): Sender {
  return (prefix) => async (i) => {
    const customerId = `${prefix}-c${i % 500}`;
    const now = Date.now();
    const signal: EventSignal = {
      v: 1,
      id: `${prefix}-${i}`,
      customerId,
      name: EVENT_NAME,
      category: 'customer_action',
      ts: now,
      receivedAt: now,
      properties: { i, page: '/products/42' },
    };
    const input: JourneyInput = { v: 1, customerId };
    await client.workflow.signalWithStart(WORKFLOW_TYPE, {
      workflowId: customerWorkflowId(customerId),
      taskQueue: TASK_QUEUE,
      args: [input],
      signal: SIGNALS.event,
      signalArgs: [signal],
    });
    return true;
  };
}

/** Warm-up, then ROUNDS interleaved rounds of both paths. */
async function measure(
  viaRawClient: Sender,
  viaGateway: Sender,
  log: Log,
): Promise<{ raw: RunStats[]; gateway: RunStats[] }> {
  log(`warm-up`);
  await drive(300, CONCURRENCY, viaRawClient('warm-raw'));
  await drive(300, CONCURRENCY, viaGateway('warm-gw'));

  const raw: RunStats[] = [];
  const gateway: RunStats[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // Interleaved, alternating which goes first, so both paths see the same server state
    // (open workflows, SQLite growth) on average.
    const order = round % 2 === 1 ? (['raw', 'gateway'] as const) : (['gateway', 'raw'] as const);
    for (const which of order) {
      const stats =
        which === 'raw'
          ? await drive(EVENTS, CONCURRENCY, viaRawClient(`raw${round}`))
          : await drive(EVENTS, CONCURRENCY, viaGateway(`gw${round}`));
      (which === 'raw' ? raw : gateway).push(stats);
      log(`round ${round} ${which === 'raw' ? 'raw client' : 'gateway   '}: ${JSON.stringify(stats)}`);
    }
  }
  return { raw, gateway };
}

/** Prints the comparison and writes .kairos/bench/gateway.json. */
function report(raw: RunStats[], gateway: RunStats[], log: Log): void {
  const r = combine(raw);
  const g = combine(gateway);
  const ratio = Math.round((g.rate / r.rate) * 1000) / 1000;
  const result = {
    bench: 'gateway',
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version },
    setup: {
      eventsPerRun: EVENTS,
      rounds: ROUNDS,
      concurrency: CONCURRENCY,
      customersPerRun: 500,
      temporal: 'dev server (SQLite in memory)',
      worker: false,
    },
    rawClient: { ...r, runs: raw },
    gateway: { ...g, runs: gateway },
    ratio,
    target: TARGET,
    meetsTarget: ratio >= TARGET,
  };
  log('');
  log(`                 events/s     p50 ms     p99 ms   errors`);
  log(
    `raw client    ${String(r.rate).padStart(11)} ${String(r.p50ms).padStart(10)} ${String(r.p99ms).padStart(10)} ${String(r.errors).padStart(8)}`,
  );
  log(
    `gateway       ${String(g.rate).padStart(11)} ${String(g.p50ms).padStart(10)} ${String(g.p99ms).padStart(10)} ${String(g.errors).padStart(8)}`,
  );
  log(
    `gateway / raw = ${(ratio * 100).toFixed(1)}% (target >= ${TARGET * 100}%: ${ratio >= TARGET ? 'met' : 'NOT met'})`,
  );
  const outDir = path.resolve(__dirname, '..', '..', '.kairos', 'bench');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'gateway.json'), `${JSON.stringify(result, null, 2)}\n`);
  log(`written ${path.join(outDir, 'gateway.json')}`);
}

export async function run(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-bench-gw-'));
  const triggersDir = path.join(work, 'triggers');
  fs.mkdirSync(triggersDir);
  fs.writeFileSync(
    path.join(triggersDir, 'bench.json'),
    JSON.stringify({ id: 'bench', version: 1, pattern: { kind: 'event', name: EVENT_NAME } }),
  );
  const log = (line: string): void => void process.stdout.write(`${line}\n`);

  log(`starting embedded Postgres, the Temporal dev server and the gateway`);
  const gw = await startBenchGateway({
    name: 'gw',
    triggersDir,
    scopes: ['events:write'],
    withTemporal: true,
  });
  const temporal = gw.temporal!;
  const { key } = gw;
  const cleanups: (() => Promise<unknown>)[] = [() => gw.stop()];
  try {
    const url = `${gw.base}/v1/events`;

    const connection = await Connection.connect({ address: temporal.address });
    cleanups.unshift(() => connection.close());
    const client = new Client({ connection, namespace: temporal.namespace });

    // node:http with keep-alive rather than fetch: the load generator shares this process (and
    // its 2 cores) with the gateway, so it must cost as little as possible.
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    cleanups.push(() => Promise.resolve(agent.destroy()));
    const { raw, gateway } = await measure(viaRawClientOf(client), viaGatewayOf(agent, url, key), log);
    report(raw, gateway, log);
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  }
}
