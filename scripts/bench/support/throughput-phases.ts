/**
 * The measured phases of the throughput bench. A rate is messages delivered per second from the
 * first request of a phase to the arrival of its last distinct delivery at the sink.
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { BENCH_EVENT } from './bench-triggers';
import { postEventBatches, postEvent, type BenchEvent } from './event-posting';
import { waitForQuiet } from './kairos-stack';
import { inFlight, openLoop } from './load-driver';
import { MINIMAL_WORKFLOW_TYPE } from './minimal-journey';
import { sqliteBytes } from './sqlite-size';
import { percentiles, round1 } from './stats';
import {
  cpuPerEvent,
  cpuSnapshot,
  IN_FLIGHT,
  KAIROS_PATH,
  MINIMAL_PATH,
  phaseTimeoutMs,
  type BenchContext,
  type CpuSnapshot,
} from './throughput-context';

export type RatePhase = {
  n: number;
  delivered: number;
  seconds: number;
  perS: number;
  complete: boolean;
  cpuMsPerEvent: CpuSnapshot;
  sqliteBytesPerEvent: number;
};

export type Latency = { p50: number; p99: number; n: number; missing: number };

/** The event of customer `customerId` in round `round` (0 = new customer, 1 = returning). */
export const benchEvent = (customerId: string, round: number, match = true): BenchEvent => ({
  id: `${customerId}.r${round}`,
  customerId,
  name: BENCH_EVENT,
  properties: { match, round, sku: 'p-42', price: 129.5, path: '/products/p-42' },
});

/** Times `send`, then waits for `target` distinct deliveries on `sinkPath`. */
async function timedPhase(
  ctx: BenchContext,
  n: number,
  sinkPath: string | null,
  send: () => Promise<void>,
): Promise<RatePhase> {
  // The previous phase's tail (last activities, cache evictions) must not be billed to this one.
  await waitForQuiet(ctx.stack);
  const target = sinkPath ? ctx.sink.count(sinkPath) + n : n;
  const cpu0 = cpuSnapshot(ctx.stack);
  const db0 = sqliteBytes(ctx.stack.temporalDb);
  const t0 = performance.now();
  await send();
  const end = sinkPath ? await ctx.sink.waitFor(sinkPath, target, phaseTimeoutMs(n)) : performance.now();
  const t1 = end ?? performance.now();
  const delivered = sinkPath ? n - (target - ctx.sink.count(sinkPath)) : n;
  const seconds = (t1 - t0) / 1000;
  return {
    n,
    delivered,
    seconds: round1(seconds),
    perS: round1(delivered / seconds),
    complete: end !== null,
    cpuMsPerEvent: cpuPerEvent(cpu0, cpuSnapshot(ctx.stack), n),
    sqliteBytesPerEvent: Math.round((sqliteBytes(ctx.stack.temporalDb) - db0) / n),
  };
}

/** Signal-with-start of N new workflows, 32 in flight, on a task queue no worker polls. */
export function measureRaw(ctx: BenchContext): Promise<RatePhase> {
  const taskQueue = `bench-raw-${randomUUID().slice(0, 8)}`;
  const n = ctx.options.customers;
  return timedPhase(ctx, n, null, async () => {
    await inFlight(n, IN_FLIGHT, async (i) => {
      await ctx.client.workflow.signalWithStart('rawProbeWorkflow', {
        workflowId: `raw-${i}`,
        taskQueue,
        args: [],
        signal: 'event',
        signalArgs: [benchEvent(`raw-${i}`, 0)],
      });
    });
  });
}

/** One event to each of `ids` (minimal journey), signal-with-start, 32 in flight. */
export function minimalRound(
  ctx: BenchContext,
  taskQueue: string,
  ids: string[],
  round: number,
): Promise<RatePhase> {
  return timedPhase(ctx, ids.length, MINIMAL_PATH, async () => {
    await inFlight(ids.length, IN_FLIGHT, (i) => signalMinimal(ctx, taskQueue, ids[i]!, round));
  });
}

async function signalMinimal(ctx: BenchContext, taskQueue: string, id: string, round: number): Promise<void> {
  await ctx.client.workflow.signalWithStart(MINIMAL_WORKFLOW_TYPE, {
    workflowId: id,
    taskQueue,
    args: [],
    signal: 'event',
    signalArgs: [benchEvent(id, round)],
  });
}

/** One matching event to each of `customers` through the gateway's batch endpoint. */
export function kairosRound(ctx: BenchContext, customers: string[], round: number): Promise<RatePhase> {
  return timedPhase(ctx, customers.length, KAIROS_PATH, () =>
    postEventBatches(
      ctx,
      customers.map((c) => benchEvent(c, round)),
    ),
  );
}

/**
 * Event -> message latency at a modest open-loop rate: from just before the request that
 * carries the event to the first arrival of its delivery at the sink.
 */
async function latency(
  ctx: BenchContext,
  sinkPath: string,
  ids: string[],
  round: number,
  send: (id: string) => Promise<void>,
): Promise<Latency> {
  await waitForQuiet(ctx.stack);
  const sentAt = await openLoop(ids.length, ctx.options.latencyRate, (i) => send(ids[i]!));
  const arrival = (i: number): number | undefined => ctx.sink.arrivalsOf(sinkPath, ids[i]!)[round]?.at;
  const deadline = performance.now() + 60_000;
  while (ids.some((_, i) => arrival(i) === undefined) && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  const samples = ids.flatMap((_, i) => {
    const at = arrival(i);
    return at === undefined ? [] : [at - sentAt[i]!];
  });
  return { ...percentiles(samples), missing: ids.length - samples.length };
}

export const kairosLatency = (ctx: BenchContext, customers: string[], round: number): Promise<Latency> =>
  latency(ctx, KAIROS_PATH, customers, round, (c) => postEvent(ctx, benchEvent(c, round)));

export const minimalLatency = (
  ctx: BenchContext,
  taskQueue: string,
  ids: string[],
  round: number,
): Promise<Latency> =>
  latency(ctx, MINIMAL_PATH, ids, round, (id) => signalMinimal(ctx, taskQueue, id, round));
