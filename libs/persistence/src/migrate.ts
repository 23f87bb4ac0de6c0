import path from 'node:path';
import { runner } from 'node-pg-migrate';

/** Directory of the versioned SQL migrations shipped with this package. */
export const MIGRATIONS_DIR = path.resolve(__dirname, '..', 'migrations');

/**
 * Applies every pending migration (node-pg-migrate, recorded in `kairos_migrations`).
 * Safe to call from several processes at once: node-pg-migrate holds an advisory lock.
 */
export async function runMigrations(databaseUrl: string, log: (msg: string) => void = () => undefined): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'kairos_migrations',
    checkOrder: true,
    singleTransaction: true,
    log,
    verbose: false,
  });
  return applied.map((m) => m.name);
}
