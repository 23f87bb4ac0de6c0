/**
 * Jest global setup for the integration and e2e tiers: one real PostgreSQL per test run
 * (DATABASE_URL's server when set, in a fresh database; otherwise a throwaway embedded cluster),
 * migrated, and the Temporal binaries resolved (installed once if needed).
 * Runs once per project that lists it, so it is idempotent and reference-counted.
 */
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { runMigrations } from '@kairos/persistence';
import { startEmbeddedPostgres } from '@kairos/persistence/embedded';
import { resolveTemporalBinary } from '../../scripts/support/temporal-binaries';

type Shared = { refs: number; stop: () => Promise<void> };
const g = globalThis as typeof globalThis & { __kairosTestDb?: Shared };

export default async function globalSetup(): Promise<void> {
  if (g.__kairosTestDb) {
    g.__kairosTestDb.refs += 1;
    return;
  }
  for (const kind of ['cli', 'testServer'] as const) {
    const resolved = resolveTemporalBinary(kind);
    if (resolved.kind === 'path') {
      process.env[kind === 'cli' ? 'TEMPORAL_CLI_PATH' : 'TEMPORAL_TEST_SERVER_PATH'] = resolved.path;
    }
  }
  let url: string;
  let stop: () => Promise<void>;
  const external = process.env.DATABASE_URL;
  if (external) {
    // Use the given server, but never its data: a database of our own per run, dropped at the end.
    const name = `kairos_test_${process.pid}_${Date.now()}`;
    const admin = new Client({ connectionString: external });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(external);
    u.pathname = `/${name}`;
    url = u.toString();
    stop = async () => {
      const c = new Client({ connectionString: external });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  } else {
    const db = await startEmbeddedPostgres({
      dataDir: path.join(os.tmpdir(), `kairos-test-pg-${process.pid}-${Date.now()}`),
      persistent: false,
    });
    url = db.url;
    stop = () => db.stop();
  }
  await runMigrations(url);
  process.env.KAIROS_TEST_DATABASE_URL = url;
  g.__kairosTestDb = { refs: 1, stop };
}
