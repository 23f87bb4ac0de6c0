/**
 * `npm run bench -- throughput [--customers 1000]`: how close Kairos comes to what its Temporal
 * server can take, in one process and one run on `npm start`'s own stack (method:
 * /work/shared/PERFORMANCE.md, issue "Journey engine v2"):
 * - raw: signal-with-start of new workflows on a task queue no worker polls, 32 in flight;
 * - minimal journey: a textbook workflow per customer beside the stack, each signal answered by
 *   one local activity POSTing to the sink, for new customers and the same ones again;
 * - Kairos: N new customers through REST -> gateway -> journey -> webhook channel -> sink
 *   (distinct deliveries), then the same N again; event -> message latency at a modest rate;
 * - history events, bytes and billable actions per event, CPU per message, memory per journey.
 * Each Kairos phase runs right after its minimal counterpart (measureJourneys).
 * Writes .kairos/bench/throughput.json and bench-results/throughput.md (or --out).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { customerWorkflowId } from '@kairos/contracts';
import { binaryVersion } from '../support/temporal-binaries';
import { ROOT } from './support/app-process';
import { withBenchStack } from './support/bench-stack';
import { postEventBatches } from './support/event-posting';
import { waitForQuiet, type KairosStack } from './support/kairos-stack';
import { startMinimalWorker } from './support/minimal-journey';
import { segments, settleAll } from './support/temporal-history';
import {
  type BenchContext,
  KAIROS_PATH,
  MINIMAL_PATH,
  type ThroughputOptions,
  workerRss,
} from './support/throughput-context';
import {
  benchEvent,
  kairosLatency,
  kairosRound,
  measureRaw,
  minimalLatency,
  minimalRound,
} from './support/throughput-phases';
import { throughputMarkdown, type ThroughputResults } from './support/throughput-report';

/** The Kairos worker's default workflow cache (KAIROS_MAX_CACHED_WORKFLOWS); the minimal worker gets the same. */
const MAX_CACHED = 1000;
const MINIMAL_QUEUE = 'bench-minimal';
const log = (msg: string): void => void process.stdout.write(`throughput: ${msg}\n`);
const range = (n: number, name: (i: number) => string): string[] =>
  Array.from({ length: n }, (_, i) => name(i));

function parseOptions(argv: string[]): ThroughputOptions & { out: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      customers: { type: 'string', default: '1000' },
      batch: { type: 'string', default: '100' },
      sample: { type: 'string', default: '20' },
      // 200 samples: p99 is then interpolated between the 2nd and 3rd slowest, not the slowest alone.
      'latency-events': { type: 'string', default: '200' },
      'latency-rate': { type: 'string', default: '5' },
      out: { type: 'string', default: path.join('bench-results', 'throughput.md') },
    },
  });
  const int = (name: string, v: string, min: number, max: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`--${name} must be an integer in ${min}..${max}`);
    return n;
  };
  const customers = int('customers', values.customers, 10, 20_000);
  return {
    customers,
    batch: int('batch', values.batch, 1, 500),
    sample: Math.min(customers, int('sample', values.sample, 1, 200)),
    latencyEvents: int('latency-events', values['latency-events'], 10, 2_000),
    latencyRate: int('latency-rate', values['latency-rate'], 1, 200),
    out: path.resolve(ROOT, values.out),
  };
}

/** The minimal journey's worker: in this process, its own task queue, the same server. */
function startMinimal(ctx: BenchContext): ReturnType<typeof startMinimalWorker> {
  return startMinimalWorker({
    address: ctx.stack.temporalAddress,
    namespace: ctx.namespace,
    taskQueue: MINIMAL_QUEUE,
    sinkUrl: ctx.sink.url(MINIMAL_PATH),
    maxCachedWorkflows: MAX_CACHED,
  });
}

/** Two events that match nothing to a few new customers: what an unanswered event costs. */
async function measureUnmatched(ctx: BenchContext): Promise<ThroughputResults['kairos']['unmatched']> {
  const customers = range(ctx.options.sample, (i) => `quiet-${i}`);
  const ids = customers.map(customerWorkflowId);
  await postEventBatches(
    ctx,
    customers.map((c) => benchEvent(c, 0, false)),
  );
  const afterFirst = await settleAll(ctx.client, ids);
  await postEventBatches(
    ctx,
    customers.map((c) => benchEvent(c, 1, false)),
  );
  const afterSecond = await settleAll(ctx.client, ids);
  const [first, again] = await segments(ctx.client, ids, [afterFirst, afterSecond]);
  return { first: first!, again: again! };
}

/**
 * The timed phases, each Kairos phase right after its minimal counterpart (new customers, the
 * same again, then latency for new and returning), so that both of a pair meet the machine in
 * about the same state: its speed drifts over minutes when other machines share it.
 */
async function measureJourneys(ctx: BenchContext): Promise<Pick<ThroughputResults, 'minimal' | 'kairos'>> {
  const { customers: n, sample, latencyEvents } = ctx.options;
  const minimalIds = range(n, (i) => `minimal-${i}`);
  const kairosIds = range(n, (i) => `bench-${i}`);
  const minimalSampled = minimalIds.slice(0, sample);
  const kairosSampled = kairosIds.slice(0, sample).map(customerWorkflowId);
  // First, so the Kairos worker's one-off costs (JIT, first activations) are paid before memory is read.
  log('Kairos, events matching nothing');
  const unmatched = await measureUnmatched(ctx);
  const rssBefore = workerRss(ctx.stack);
  log('new customers: minimal journey, then Kairos');
  const mFresh = await minimalRound(ctx, MINIMAL_QUEUE, minimalIds, 0);
  const kFresh = await kairosRound(ctx, kairosIds, 0);
  const rssAfter = workerRss(ctx.stack);
  const [mFirst, kFirst] = [
    await settleAll(ctx.client, minimalSampled),
    await settleAll(ctx.client, kairosSampled),
  ];
  log('returning customers: minimal journey, then Kairos');
  const mReturning = await minimalRound(ctx, MINIMAL_QUEUE, minimalIds, 1);
  const kReturning = await kairosRound(ctx, kairosIds, 1);
  const [mSecond, kSecond] = [
    await settleAll(ctx.client, minimalSampled),
    await settleAll(ctx.client, kairosSampled),
  ];
  log('latency: minimal journey, then Kairos, new then returning');
  const mLatencyIds = range(latencyEvents, (i) => `minimal-latency-${i}`);
  const kLatencyIds = range(latencyEvents, (i) => `latency-${i}`);
  const mLatencyNew = await minimalLatency(ctx, MINIMAL_QUEUE, mLatencyIds, 0);
  const kLatencyNew = await kairosLatency(ctx, kLatencyIds, 0);
  const mLatencyReturning = await minimalLatency(ctx, MINIMAL_QUEUE, mLatencyIds, 1);
  const kLatencyReturning = await kairosLatency(ctx, kLatencyIds, 1);
  const [mOne, mTwo] = await segments(ctx.client, minimalSampled, [mFirst, mSecond]);
  const [kOne, kTwo] = await segments(ctx.client, kairosSampled, [kFirst, kSecond]);
  return {
    minimal: {
      fresh: mFresh,
      returning: mReturning,
      latencyNew: mLatencyNew,
      latencyReturning: mLatencyReturning,
      history: { first: mOne!, again: mTwo! },
    },
    kairos: {
      fresh: kFresh,
      returning: kReturning,
      latencyNew: kLatencyNew,
      latencyReturning: kLatencyReturning,
      history: { first: kOne!, again: kTwo! },
      unmatched,
      memory: memoryPerJourney(ctx, rssBefore, rssAfter),
    },
  };
}

/** The cache held the unmatched phase's journeys before, and is full or holds all N after. */
function memoryPerJourney(
  ctx: BenchContext,
  before: number,
  after: number,
): ThroughputResults['kairos']['memory'] {
  const added = Math.min(ctx.options.customers + ctx.options.sample, MAX_CACHED) - ctx.options.sample;
  const mib = (b: number): number => Math.round((b / 1024 / 1024) * 10) / 10;
  return {
    rssBeforeMiB: mib(before),
    rssAfterMiB: mib(after),
    journeysCached: added,
    perJourneyKiB: Math.round((after - before) / added / 102.4) / 10,
  };
}

function machine(loadStart: number[]): ThroughputResults['machine'] {
  const load = (l: number[]): number[] => l.map((x) => Math.round(x * 100) / 100);
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? '?',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    loadAvg: { start: load(loadStart), end: load(os.loadavg()) },
  };
}

function temporalFacts(stack: KairosStack): ThroughputResults['temporal'] {
  const binary = stack.temporalCommand.split(' ')[0] ?? '';
  return {
    cli: binaryVersion(binary) || binary,
    pragmas: [...stack.temporalCommand.matchAll(/--sqlite-pragma (\S+)/g)].map((m) => m[1]!),
  };
}

export async function run(argv: string[] = []): Promise<void> {
  const { out, ...options } = parseOptions(argv);
  const loadStart = os.loadavg();
  const sinkKey = (p: string, body: Record<string, unknown>) => {
    const key = p === KAIROS_PATH ? body.deliveryId : body.key;
    return typeof key === 'string' && typeof body.customerId === 'string'
      ? { key, customerId: body.customerId }
      : null;
  };
  await withBenchStack('throughput', options, sinkKey, async (ctx) => {
    await waitForQuiet(ctx.stack);
    log('raw signal-with-start');
    const raw = await measureRaw(ctx);
    const minimalWorker = await startMinimal(ctx);
    const { minimal, kairos } = await measureJourneys(ctx).finally(() => minimalWorker.stop());
    const results: ThroughputResults = {
      at: new Date().toISOString(),
      machine: machine(loadStart),
      temporal: temporalFacts(ctx.stack),
      options,
      raw,
      minimal,
      kairos,
    };
    const markdown = throughputMarkdown(results);
    process.stdout.write(`\n${markdown}`);
    const jsonDir = path.join(ROOT, '.kairos', 'bench');
    fs.mkdirSync(jsonDir, { recursive: true });
    fs.writeFileSync(path.join(jsonDir, 'throughput.json'), `${JSON.stringify(results, null, 2)}\n`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, markdown);
    log(`written to ${path.relative(ROOT, out)} and .kairos/bench/throughput.json`);
  });
}
