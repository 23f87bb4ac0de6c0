/**
 * The embedded cluster of a data folder, for a one-off command beside `npm start` (npm run
 * apikey): the running server when `npm start` holds the folder (its port read from
 * postmaster.pid), else the cluster started for the command and stopped after it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { embeddedUrl, startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres';

export type Postmaster = { pid: number; port: number };

/**
 * The live postmaster of a cluster, from the first and fourth lines of postmaster.pid (pid and
 * port, as PostgreSQL writes them); null when stopped or the file is stale.
 */
export function runningPostmaster(clusterDir: string): Postmaster | null {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return null;
  }
  const [pid, port] = [Number(lines[0]), Number(lines[3])];
  if (!(pid > 0 && port > 0)) return null;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: alive, but another user's (the `postgres` user when we are not root).
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  return { pid, port };
}

/** Null when the folder holds no cluster yet (`npm start` has never run on it). */
export async function openEmbeddedPostgres(
  clusterDir: string,
  database = 'kairos',
): Promise<(EmbeddedDatabase & { started: boolean }) | null> {
  const dataDir = path.resolve(clusterDir);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return null;
  const live = runningPostmaster(dataDir);
  if (!live) {
    const db = await startEmbeddedPostgres({ dataDir, persistent: true, database });
    return { ...db, started: true };
  }
  const url = embeddedUrl(live.port, database);
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `KAIROS_PG_ATTACH: ${dataDir} is held by PostgreSQL pid ${live.pid} on port ${live.port}, but connecting failed ` +
        `(${err instanceof Error ? err.message : String(err)}); retry once \`npm start\` is ready, or, if no PostgreSQL ` +
        `runs on that folder, delete the stale ${path.join(dataDir, 'postmaster.pid')}.`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
  return { url, port: live.port, dataDir, started: false, stop: () => Promise.resolve() };
}
