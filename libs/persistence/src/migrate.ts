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
  // Our own client, closed here: node-pg-migrate 7 leaves the one it opens from a URL connected.
  const dbClient = new Client({ connectionString: databaseUrl, application_name: 'kairos-migrate' });
  await dbClient.connect();
  let applied;
  try {
    applied = await runner({
      dbClient,
      dir: MIGRATIONS_DIR,
      direction: 'up',
      migrationsTable: 'kairos_migrations',
      checkOrder: true,
      singleTransaction: true,
      log,
      verbose: false,
    });
  } finally {
    await dbClient.end();
  }
  return applied.map((m) => m.name);
}
