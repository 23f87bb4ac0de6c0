/**
 * `npm run bench -- backtest [--customers 10000] [--per 100]`: a backtest end to end (count the
 * customers, read every stored event of the range from PostgreSQL with the server-side cursor,
 * run each customer through a fresh engine with the example triggers, tally), the code path of
 * the backtest activity, on an embedded PostgreSQL. Targets (Kairos issue 14 item 6):
 * >= 150,000 stored events/s, 1,000,000 events over 10,000 customers in < 15 s, memory bounded
 * by the largest customer (the same peak heap for a tenth of the range as for all of it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';
import { BacktestEventsRepository, createPool, runMigrations } from '@kairos/persistence';
import { startEmbeddedPostgres } from '@kairos/persistence/embedded';
import {
  emptyTally,
  tallyCustomer,
  propertyKeysRead,
  type BacktestSpec,
  type TallyState,
} from '@kairos/triggers';
import { loadTriggerDir } from '@kairos/triggers/node';
import { intOptions } from './support/int-options';

const RATE_TARGET = 150_000;
const SECONDS_TARGET = 15;
const START = Date.UTC(2026, 10, 23);
const DAY = 86_400_000;

/**
 * `per` events for each of `customers` customers, over one day, written by the server itself:
 * carts (4 per customer), product views with a price, orders, sessions, and page views no
 * trigger reads, with properties like a real tracking plan's.
 */
export async function load(pool: Pool, customers: number, per: number): Promise<void> {
  await pool.query(
    `INSERT INTO journey_events (customer_id, event_id, name, occurred_at, received_at, workflow_id, properties)
     SELECT 'c' || lpad(c::text, 6, '0'), 'e' || i, n.name, t, t, 'customer:c' || c,
            jsonb_build_object('cart_id', 'k' || (i % 4), 'price', (i * 37) % 250, 'sku', 'sku-' || (i % 500),
                               'currency', 'EUR', 'page', '/p/' || (i % 50))
     FROM generate_series(0, $1::int - 1) c,
          generate_series(0, $2::int - 1) i,
          LATERAL (SELECT (ARRAY['cart.updated','product.viewed','product.viewed','order.completed',
                                 'session.started','page.viewed','cart.updated','product.viewed',
                                 'page.viewed','signup.completed'])[1 + (i + c) % 10] AS name) n,
          LATERAL (SELECT to_timestamp(($3::float8 + (c * 7919 % 3600) * 1000 + i * ($4::float8 / $2)) / 1000) AS t) ts`,
    [customers, per, START, DAY - 3_600_000],
  );
  await pool.query('VACUUM ANALYZE journey_events');
}

type Measured = {
  events: number;
  customers: number;
  seconds: number;
  cpuSeconds: number;
  peakHeapMb: number;
  tally: TallyState;
};

/** One backtest over `limit` customers (all when undefined), timed from the first query to the last tally. */
async function backtest(pool: Pool, spec: BacktestSpec, limit?: number): Promise<Measured> {
  const reader = new BacktestEventsRepository(pool);
  global.gc?.();
  let peak = process.memoryUsage().heapUsed;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const q = {
    from: spec.from,
    to: spec.to,
    propertyKeys: propertyKeysRead(spec.triggers),
    ...(limit ? { limit } : {}),
  };
  await reader.countCustomers(q);
  const tally = emptyTally(spec.triggers);
  for await (const c of reader.customers(q)) {
    tallyCustomer(spec, tally, c);
    if (tally.customers % 500 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    events: tally.events,
    customers: tally.customers,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakHeapMb: Math.round(peak / 1e5) / 10,
    tally,
  };
}

export async function run(options: string[]): Promise<void> {
  const { customers, per } = intOptions(options, { customers: 10_000, per: 100 });
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-bench-backtest-'));
  const db = await startEmbeddedPostgres({ dataDir: path.join(work, 'pg'), persistent: false });
  const pool = createPool(db.url, 'kairos-bench', 2);
  try {
    await runMigrations(db.url);
    log(
      `loading ${(customers * per).toLocaleString('en')} events over ${customers.toLocaleString('en')} customers`,
    );
    const l0 = performance.now();
    await load(pool, customers, per);
    log(`loaded in ${((performance.now() - l0) / 1000).toFixed(1)} s`);
    const dir = path.resolve(__dirname, '..', '..', 'libs', 'triggers', 'examples');
    const spec: BacktestSpec = { triggers: loadTriggerDir(dir).triggers, from: START, to: START + DAY };
    const runs: Measured[] = [];
    for (let r = 0; r < 3; r++) {
      const m = await backtest(pool, spec);
      runs.push(m);
      log(
        `run ${r + 1}: ${m.events.toLocaleString('en')} events, ${m.customers.toLocaleString('en')} customers in ${m.seconds.toFixed(2)} s = ${Math.round(m.events / m.seconds).toLocaleString('en')} events/s (CPU of this process ${m.cpuSeconds.toFixed(2)} s), peak heap ${m.peakHeapMb} MB`,
      );
    }
    const tenth = await backtest(pool, spec, Math.ceil(customers / 10));
    log(
      `a tenth of the customers: ${tenth.events.toLocaleString('en')} events, peak heap ${tenth.peakHeapMb} MB`,
    );
    const best = [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)] as Measured;
    const rate = Math.round(best.events / best.seconds);
    log(
      `\nmedian: ${best.seconds.toFixed(2)} s, ${rate.toLocaleString('en')} events/s (targets >= ${RATE_TARGET.toLocaleString('en')} events/s, < ${SECONDS_TARGET} s): ${rate >= RATE_TARGET && best.seconds < SECONDS_TARGET ? 'PASS' : 'FAIL'}`,
    );
    for (const t of best.tally.triggers)
      log(
        `  ${t.triggerId}: ${t.matches} matches, ${t.customersMatched} customers, suppressed ${JSON.stringify(t.suppressed)}`,
      );
    log(
      `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, load ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
    const outDir = path.resolve(__dirname, '..', '..', '.kairos', 'bench');
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(
      path.join(outDir, 'backtest.json'),
      JSON.stringify(
        {
          customers,
          per,
          runs: runs.map(({ tally: _t, ...m }) => m),
          tenth: { ...tenth, tally: undefined },
          rate,
        },
        null,
        2,
      ),
    );
  } finally {
    await pool.end();
    await db.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
