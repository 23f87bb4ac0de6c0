/**
 * `npm run bench -- broadcast [--customers 100000] [--raw 5000]`: customers a broadcast reaches
 * per second ÷ raw signal-with-start per second, on `npm start`'s own stack, in one run (issue
 * 16 item 6; target ≥ 0.8):
 * - raw: the throughput bench's probe (signal-with-start of new workflows, 32 in flight, on a task
 *   queue no worker polls);
 * - broadcast: a `where` audience of N customers stored in the stack's PostgreSQL, delivered by
 *   the real broadcast workflow and activities (audience pages, journey_events recording,
 *   signal-with-start of each journey, token bucket, progress per chunk) in a worker of this
 *   process, at the highest rate a broadcast may ask for. Its journeys go to a task queue no
 *   worker polls, like raw's: both measure what reaches Temporal, not the journeys' own work
 *   (throughput.md measures that).
 * Writes bench-results/broadcast.md (or --out).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { BROADCAST_WORKFLOW_TYPE, broadcastWorkflowId, type BroadcastProgress } from '@kairos/contracts';
import {
  BroadcastAudienceRepository,
  BroadcastsRepository,
  createPool,
  JourneyEventsRepository,
} from '@kairos/persistence';
import { openEmbeddedPostgres } from '@kairos/persistence/embedded';
import { BROADCAST_WORKFLOW_PATH, createBroadcastActivities, createJourneySignaller } from '@kairos/worker';
import { ROOT } from './support/app-process';
import { withBenchStack } from './support/bench-stack';
import { waitForQuiet, type KairosStack } from './support/kairos-stack';
import { round1 } from './support/stats';
import { cpuPerEvent, cpuSnapshot } from './support/throughput-context';
import { measureRaw, type RatePhase } from './support/throughput-phases';

const TARGET = 0.8;
const MAX_RATE = 10_000;
const log = (msg: string): void => void process.stdout.write(`broadcast: ${msg}\n`);

type Measured = {
  progress: BroadcastProgress;
  seconds: number;
  perS: number;
  cpuMsPerCustomer: ReturnType<typeof cpuPerEvent>;
};

function parseOptions(argv: string[]): { customers: number; raw: number; out: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      customers: { type: 'string', default: '100000' },
      raw: { type: 'string', default: '5000' },
      out: { type: 'string', default: path.join('bench-results', 'broadcast.md') },
    },
  });
  const int = (name: string, v: string, min: number, max: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`--${name} must be an integer in ${min}..${max}`);
    return n;
  };
  return {
    customers: int('customers', values.customers, 100, 1_000_000),
    raw: int('raw', values.raw, 100, 100_000),
    out: path.resolve(ROOT, values.out),
  };
}

/** N customers in `customers`, tagged with this run's marker, in one statement. */
async function seed(url: string, run: string, n: number): Promise<void> {
  const pool = createPool(url, 'kairos-bench', 1);
  try {
    await pool.query(
      `INSERT INTO customers (customer_id, profile)
       SELECT $1 || lpad(i::text, 7, '0'), jsonb_build_object('attributes', jsonb_build_object('bench', $1::text, 'n', i))
       FROM generate_series(1, $2::int) i`,
      [run, n],
    );
    await pool.query('ANALYZE customers');
  } finally {
    await pool.end();
  }
}

/** The broadcast, stored as POST /v1/broadcasts stores it, run by the real workflow in this process. */
async function measureBroadcast(
  stack: KairosStack,
  client: Client,
  url: string,
  run: string,
): Promise<Measured> {
  const pool = createPool(url, 'kairos-bench-broadcast', 4);
  const connection = await NativeConnection.connect({ address: stack.temporalAddress });
  const taskQueue = `bench-broadcast-${run}`;
  try {
    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowsPath: BROADCAST_WORKFLOW_PATH,
      activities: createBroadcastActivities({
        broadcasts: new BroadcastsRepository(pool),
        audience: new BroadcastAudienceRepository(pool),
        events: new JourneyEventsRepository(pool),
        journeys: createJourneySignaller(() => client, `bench-journeys-${run}`),
      }),
    });
    const running = worker.run();
    const id = `${run}-fanout`;
    await new BroadcastsRepository(pool).create({
      id,
      name: 'bench.broadcast',
      properties: { region: 'north' },
      audience: {
        kind: 'where',
        where: { path: 'profile.attributes.bench', op: 'eq', value: run },
        activeWithinMs: null,
      },
      ratePerSecond: MAX_RATE,
      startJourneys: true,
      requestHash: 'bench',
      createdBy: null,
    });
    await waitForQuiet(stack);
    const cpu0 = cpuSnapshot(stack);
    const t0 = performance.now();
    const progress = await client.workflow.execute(BROADCAST_WORKFLOW_TYPE, {
      workflowId: broadcastWorkflowId(id),
      taskQueue,
      args: [{ v: 1, broadcastId: id }],
    });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuPerEvent(cpu0, cpuSnapshot(stack), progress.delivered);
    worker.shutdown();
    await running;
    return {
      progress,
      seconds: round1(seconds),
      perS: round1(progress.delivered / seconds),
      cpuMsPerCustomer: cpu,
    };
  } finally {
    await connection.close();
    await pool.end();
  }
}

function markdown(o: {
  customers: number;
  raw: RatePhase;
  broadcast: Measured;
  load: number[][];
  at: string;
  temporal: string;
}): string {
  const ratio = o.broadcast.perS / o.raw.perS;
  const load = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' / ');
  const c = o.broadcast.cpuMsPerCustomer;
  return `# Broadcast (\`npm run bench -- broadcast\`)

Generated by [scripts/bench/broadcast.bench.ts](../scripts/bench/broadcast.bench.ts) on ${o.at}:
${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB, Node ${process.version},
load average ${load(o.load[0]!)} at the start and ${load(o.load[1]!)} at the end (1/5/15 min).
One process, one run, on \`npm start\`'s own stack (${o.temporal}, SQLite file; embedded PostgreSQL).

| what | customers | seconds | customers/s |
| --- | --- | --- | --- |
| raw: signal-with-start of new workflows, 32 in flight, no worker on that queue | ${o.raw.n} | ${o.raw.seconds} | ${o.raw.perS} |
| broadcast: \`where\` audience of ${o.customers.toLocaleString('en')} customers, pages of 1,000, recorded in journey_events, signal-with-start, 32 in flight | ${o.broadcast.progress.delivered} | ${o.broadcast.seconds} | ${o.broadcast.perS} |

**Broadcast ÷ raw: ${ratio.toFixed(2)}** (target ≥ ${TARGET}: ${ratio >= TARGET ? 'met' : 'not met'}).
Final state ${o.broadcast.progress.state}: matched ${o.broadcast.progress.matched}, delivered ${o.broadcast.progress.delivered}, skipped ${o.broadcast.progress.skipped}, failed ${o.broadcast.progress.failed}.

CPU ms per customer, the rate's machine-independent twin: Temporal dev server ${o.raw.cpuMsPerEvent.temporal} for raw,
${c.temporal} for the broadcast; during the broadcast also PostgreSQL ${c.postgres}, this process (broadcast
worker and client) ${c.bench}, Kairos worker ${c.worker}, gateway ${c.gateway}.

Both phases measure what reaches Temporal: the broadcast's journeys are started on a task queue no
worker polls, as raw's workflows are, so neither rate includes the journeys' own work (a new
journey's first workflow task costs more than its signal-with-start: see
[throughput.md](throughput.md)). Timed from the workflow's start to its result (including the
audience queries and the progress writes). The CPU is shared with whatever else runs on the
machine: compare the two rates of one run.
`;
}

export async function run(argv: string[] = []): Promise<void> {
  const { customers, raw: rawN, out } = parseOptions(argv);
  const loadStart = os.loadavg();
  const options = { customers: rawN, batch: 100, sample: 1, latencyEvents: 10, latencyRate: 1 };
  await withBenchStack(
    'broadcast',
    options,
    () => null,
    async (ctx) => {
      const db = await openEmbeddedPostgres(path.join(ctx.stack.dataDir, 'pg'));
      if (!db) throw new Error('the stack has no embedded PostgreSQL');
      const run = `b${Date.now().toString(36)}`;
      log(`seeding ${customers} customers`);
      await seed(db.url, run, customers);
      log(`raw signal-with-start of ${rawN} workflows`);
      const raw = await measureRaw(ctx);
      log(`raw: ${raw.perS}/s; broadcast to ${customers} customers`);
      const broadcast = await measureBroadcast(ctx.stack, ctx.client, db.url, run);
      log(`broadcast: ${broadcast.perS}/s`);
      const binary = ctx.stack.temporalCommand.split(' ')[0] ?? 'temporal';
      const text = markdown({
        customers,
        raw,
        broadcast,
        load: [loadStart, os.loadavg()],
        at: new Date().toISOString(),
        temporal: path.basename(binary),
      });
      process.stdout.write(`\n${text}`);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, text);
      log(`written to ${path.relative(ROOT, out)}`);
    },
  );
}
