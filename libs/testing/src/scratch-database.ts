import { createPool, runMigrations } from '@kairos/persistence';

export type ScratchDatabase = { url: string; drop(): Promise<void> };

/** Runs one statement on `serverUrl` outside any transaction (CREATE and DROP DATABASE need that). */
async function onServer(serverUrl: string, sql: string): Promise<void> {
  const pool = createPool(serverUrl, 'kairos-scratch-database', 1);
  try {
    await pool.query(sql);
  } finally {
    await pool.end();
  }
}

/**
 * A migrated database of a test file's own, `<prefix>_<pid>_<time>` on the server of `serverUrl`:
 * for tests whose outcome other files' rows would change (global counts, live workers).
 */
export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await runMigrations(url.toString());
  return {
    url: url.toString(),
    drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
