import { Pool } from 'pg';

/** A pg pool with a name for pg_stat_activity and sane timeouts. */
export function createPool(databaseUrl: string, applicationName = 'kairos', max = 10): Pool {
  return new Pool({
    connectionString: databaseUrl,
    application_name: applicationName,
    max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
}
