import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '@kairos/persistence/embedded';

export type BenchDatabase = { url: string; stop: () => Promise<void> };

/**
 * A database of the benchmark's own: a fresh one on DATABASE_URL's server (dropped at stop), or a
 * throwaway embedded cluster under `work`.
 */
export async function benchDatabase(name: string, work: string): Promise<BenchDatabase> {
  const server = process.env.DATABASE_URL;
  if (!server) {
    const db = await startEmbeddedPostgres({ dataDir: path.join(work, 'pg'), persistent: false });
    return { url: db.url, stop: () => db.stop() };
  }
  const database = `kairos_bench_${name}_${Date.now()}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const u = new URL(server);
  u.pathname = `/${database}`;
  return {
    url: u.toString(),
    stop: async () => {
      const c = new Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await c.end();
    },
  };
}
