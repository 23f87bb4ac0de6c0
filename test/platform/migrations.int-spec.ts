import { Client } from 'pg';
import { runMigrations } from '@kairos/persistence';
import { testDatabaseUrl } from '../support/temporal-env';

describe('runMigrations (real Postgres)', () => {
  it('lets several processes migrate at once: each waits for the lock, none fails', async () => {
    // A fresh database, so the runs really race for the lock and the migrations.
    const base = testDatabaseUrl();
    const name = `kairos_mig_${Date.now()}`;
    const admin = new Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    try {
      const results = await Promise.all([1, 2, 3].map(() => runMigrations(url.toString())));
      const applied = results.flat();
      // Every migration was applied exactly once across the three runs.
      expect(new Set(applied).size).toBe(applied.length);
      expect(applied.length).toBeGreaterThanOrEqual(5);
      const db = new Client({ connectionString: url.toString() });
      await db.connect();
      const rows = await db.query<{ name: string }>('SELECT name FROM kairos_migrations ORDER BY run_on, id');
      await db.end();
      expect(rows.rows.map((r) => r.name).sort()).toEqual([...applied].sort());
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
