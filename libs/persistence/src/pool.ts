import { Pool } from 'pg';

/** A pg pool with a name for pg_stat_activity and sane timeouts. */
export function createPool(databaseUrl: string, applicationName = 'kairos', max = 10): Pool {
  const pool = new Pool({
    connectionString: databaseUrl,
    application_name: applicationName,
    max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client errors when the server restarts; pg drops it, and without a listener the
  // 'error' event would crash the process (found by test/chaos/postgres-outage.chaos.ts).
  pool.on('error', () => undefined);
  return pool;
}
