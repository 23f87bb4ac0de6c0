/**
 * `npm run bench -- reports`: the report queries over a large measurement history. Loads
 * KAIROS_BENCH_REPORT_ROWS deliveries (default 1,000,000; the claim of the issue is 10,000,000:
 * `KAIROS_BENCH_REPORT_ROWS=10000000 npm run bench -- reports`, about 25 GB of disk and a long
 * load) over 60 days into an embedded Postgres (or DATABASE_URL's server, in a database of its
 * own), then times each report over one day and over seven, and prints the plan's indexes.
 * Target: every one-day report under 1 s, independent of the table size.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadSyntheticReportHistory, planNodes } from '@kairos/testing';
import { createPool, ReportsRepository, runMigrations, type ConversionGoal } from '@kairos/persistence';
import { benchDatabase } from './support/bench-database';

const ROWS = Number(process.env.KAIROS_BENCH_REPORT_ROWS ?? 1_000_000);
const DAYS = 60;
const START = Date.parse('2025-06-01T00:00:00Z');
const DAY = 86_400_000;

export async function run(): Promise<void> {
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-bench-reports-'));
  const { url, stop } = await benchDatabase('reports', work);
  try {
    await runMigrations(url);
    const pool = createPool(url, 'kairos-bench-reports', 4);
    const prefix = 'bench';
    log(`loading ${ROWS.toLocaleString('en-US')} deliveries over ${DAYS} days...`);
    const t0 = performance.now();
    const { matches } = await loadSyntheticReportHistory(pool, {
      prefix,
      deliveries: ROWS,
      customers: Math.max(1000, Math.round(ROWS / 10)),
      days: DAYS,
      start: START,
    });
    const loadS = (performance.now() - t0) / 1000;
    const sizes = await pool.query<{ table: string; rows: string; size: string }>(
      `SELECT relname AS table, n_live_tup AS rows, pg_size_pretty(pg_total_relation_size(relid)) AS size
       FROM pg_stat_user_tables WHERE relname IN ('attribution_log', 'responses', 'journey_events', 'event_volume')
       ORDER BY relname`,
    );
    log(`loaded in ${loadS.toFixed(1)} s (${matches.toLocaleString('en-US')} matches)`);
    for (const s of sizes.rows)
      log(`  ${s.table.padEnd(16)} ${Number(s.rows).toLocaleString('en-US').padStart(12)} rows  ${s.size}`);

    const goals: ConversionGoal[] = [
      { triggerId: `${prefix}-bulk`, eventName: 'order.completed', windowMs: 7 * DAY, valuePath: ['total'] },
    ];
    const results: Record<string, Record<string, number | string[]>> = {};
    for (const days of [1, 7]) {
      const range = {
        from: new Date(START + 30 * DAY),
        to: new Date(START + (30 + days) * DAY),
        triggerId: null,
      };
      for (const name of Object.keys(ReportsRepository.sql) as (keyof typeof ReportsRepository.sql)[]) {
        const params = ReportsRepository.params(name, range, {
          bucketSeconds: 3600,
          goals,
          model: 'last-touch',
        });
        const explained = await pool.query<{ 'QUERY PLAN': unknown }>(
          `EXPLAIN (FORMAT JSON) ${ReportsRepository.sql[name]}`,
          params,
        );
        const nodes = planNodes(explained.rows[0]!['QUERY PLAN']);
        const indexes = [...new Set(nodes.map((n) => n.index).filter((i): i is string => !!i))];
        const seq = nodes.filter((n) => n.type === 'Seq Scan' && n.relation).map((n) => n.relation!);
        const times: number[] = [];
        for (let i = 0; i < 3; i += 1) {
          const t = performance.now();
          await pool.query(ReportsRepository.sql[name], params);
          times.push(performance.now() - t);
        }
        const best = Math.min(...times);
        results[`${name}/${days}d`] = { ms: Math.round(best * 10) / 10, indexes, seqScans: seq };
        log(
          `  ${`${name} (${days} d)`.padEnd(26)} ${best.toFixed(1).padStart(8)} ms  indexes: ${indexes.join(', ') || '-'}${seq.length ? `  SEQ SCAN: ${seq.join(', ')}` : ''}`,
        );
      }
    }
    await pool.end();
    const out = path.resolve(__dirname, '..', '..', '.kairos', 'bench');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(
      path.join(out, 'reports.json'),
      `${JSON.stringify({ deliveries: ROWS, matches, loadSeconds: loadS, results }, null, 2)}\n`,
    );
  } finally {
    await stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
