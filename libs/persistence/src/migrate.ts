import path from 'node:path';
import { Client } from 'pg';
import { runner } from 'node-pg-migrate';

/** Directory of the versioned SQL migrations shipped with this package. */
export const MIGRATIONS_DIR = path.resolve(__dirname, '..', 'migrations');

/**
 * Applies every pending migration (node-pg-migrate, recorded in `kairos_migrations`).
 * Safe to call from several processes at once: node-pg-migrate holds an advisory lock.
 */
export async function runMigrations(
  databaseUrl: string,
  log: (msg: string) => void = () => undefined,
): Promise<string[]> {
  // The gateway and the worker may start together: the one that finds the advisory lock taken
  // waits for the other to finish instead of failing.
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await runOnce(databaseUrl, log);
    } catch (err) {
      const locked = err instanceof Error && /Another migration is already running/.test(err.message);
      if (!locked || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function runOnce(databaseUrl: string, log: (msg: string) => void): Promise<string[]> {
  // Our own client, closed here: node-pg-migrate 7 leaves the one it opens from a URL connected.
  const dbClient = new Client({ connectionString: databaseUrl, application_name: 'kairos-migrate' });
  await dbClient.connect();
  try {
    const applied = await runner({
      dbClient,
      dir: MIGRATIONS_DIR,
      direction: 'up',
      migrationsTable: 'kairos_migrations',
      checkOrder: true,
      singleTransaction: true,
      log,
      verbose: false,
    });
    return applied.map((m) => m.name);
  } finally {
    await dbClient.end();
  }
}
