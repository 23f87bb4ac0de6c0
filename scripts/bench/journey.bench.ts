/**
 * `npm run bench -- journey`: the journey workflow on a real Temporal dev server and Postgres.
 * - event-to-send latency (p50/p99) of an immediate trigger (signal-with-start -> outbox row);
 * - history events and payload bytes per ingested event (a burst to one customer);
 * - worker memory per cached customer journey.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createPool, OutboxRepository, runMigrations } from '@kairos/persistence';
import { startEmbeddedPostgres } from '@kairos/persistence/embedded';
import { Customer, startKitWorker } from '@kairos/testing';
import { startDevServer } from '../support/dev-server';
import { percentiles } from './support/stats';

/** What each measurement needs: a Temporal client, the kit worker's task queue, the database. */
type Bench = { client: Client; taskQueue: string; pool: Pool; outbox: OutboxRepository };

/** 1. Latency: one customer, an immediate webhook trigger, sequential events. */
async function measureLatency({ client, taskQueue, pool, outbox }: Bench): Promise<Record<string, number>> {
  const latencies: number[] = [];
  const c = new Customer(
    client,
    taskQueue,
    `bench-lat-${randomUUID().slice(0, 6)}`,
    async () => Date.now(),
    pool,
  );
  for (let i = 0; i < 60; i++) {
    const t0 = performance.now();
    await c.send('ping', { i });
    for (;;) {
      const rows = await outbox.listForCustomer(c.id);
      if (rows.length > i) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    if (i >= 10) latencies.push(performance.now() - t0); // first ten warm up
  }
  const latency = percentiles(latencies);
  return { latencyP50Ms: Math.round(latency.p50), latencyP99Ms: Math.round(latency.p99) };
}

/** 2. History cost per ingested event: a burst of 500 non-matching events to one customer. */
async function measureHistory({ client, taskQueue, pool }: Bench): Promise<Record<string, number>> {
  const b = new Customer(
    client,
    taskQueue,
    `bench-hist-${randomUUID().slice(0, 6)}`,
    async () => Date.now(),
    pool,
  );
  const n = 500;
  await Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      for (let i = w; i < n; i += 8) await b.send('page.viewed', { i, path: `/p/${i}` });
    }),
  );
  await b.until((v) => v.counters.events === n, 'burst', 120_000);
  const history = await client.workflow.getHandle(b.workflowId).fetchHistory();
  const events = history.events ?? [];
  const bytes = events.reduce((s, e) => s + JSON.stringify(e).length, 0);
  return {
    historyEventsPerIngestedEvent: Number((events.length / n).toFixed(2)),
    historyBytesPerIngestedEvent: Math.round(bytes / n),
  };
}

/** 3. Memory per cached customer: start journeys, each left waiting in the worker cache. */
async function measureMemory({ client, taskQueue, pool }: Bench): Promise<Record<string, number>> {
  global.gc?.();
  const before = process.memoryUsage();
  const customers = 300;
  await Promise.all(
    Array.from({ length: 10 }, async (_, w) => {
      for (let i = w; i < customers; i += 10) {
        const m = new Customer(
          client,
          taskQueue,
          `bench-mem-${i}-${randomUUID().slice(0, 4)}`,
          async () => Date.now(),
          pool,
        );
        await m.send('cart.updated', { cart_id: `k${i}` });
        await m.until((v) => v.partialMatches.length === 1, 'cached');
      }
    }),
  );
  global.gc?.();
  const after = process.memoryUsage();
  return {
    memoryPerCachedCustomerKiB: Math.round((after.rss - before.rss) / customers / 1024),
    heapPerCachedCustomerKiB: Math.round((after.heapUsed - before.heapUsed) / customers / 1024),
  };
}

export async function run(): Promise<void> {
  const db = process.env.DATABASE_URL
    ? { url: process.env.DATABASE_URL, stop: async () => undefined }
    : await startEmbeddedPostgres({
        dataDir: path.join(os.tmpdir(), `kairos-bench-${process.pid}`),
        persistent: false,
      });
  await runMigrations(db.url);
  const pool = createPool(db.url);
  pool.on('error', () => undefined);
  const server = await startDevServer({ uiPort: null });
  const native = await NativeConnection.connect({ address: server.address });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace });
  const taskQueue = `bench-${randomUUID()}`;
  const worker = await startKitWorker(native, pool, taskQueue, {});
  const outbox = new OutboxRepository(pool);
  const results: Record<string, number> = {};
  try {
    const bench: Bench = { client, taskQueue, pool, outbox };
    Object.assign(results, await measureLatency(bench));
    Object.assign(results, await measureHistory(bench));
    Object.assign(results, await measureMemory(bench));
  } finally {
    await worker.stop();
    await native.close();
    await connection.close();
    await server.stop();
    await pool.end();
    await db.stop();
  }
  const line = JSON.stringify({ bench: 'journey', at: new Date().toISOString(), ...results });
  process.stdout.write(`${line}\n`);
  const out = path.resolve(__dirname, '..', '..', '.kairos', 'bench');
  fs.mkdirSync(out, { recursive: true });
  fs.appendFileSync(path.join(out, 'journey.jsonl'), `${line}\n`);
}
