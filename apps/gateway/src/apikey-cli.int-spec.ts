import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ApiKeysRepository, createPool } from '@kairos/persistence';
import { testDatabaseUrl } from '../../../test/support/temporal-env';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const run = promisify(execFile);

async function apikey(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['-r', './scripts/register.js', 'scripts/apikey.ts', ...args],
      { cwd: ROOT, env },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run apikey (scripts/apikey.ts against real Postgres)', () => {
  const env = { ...process.env, DATABASE_URL: testDatabaseUrl() };

  it('creates a hashed key with scopes, lists it, and revokes it', async () => {
    const created = await apikey(
      ['create', '--name', 'cli-web', '--scopes', 'events:write,customers:write', '--json'],
      env,
    );
    expect(created.code).toBe(0);
    const { id, key, scopes } = JSON.parse(created.stdout) as { id: string; key: string; scopes: string[] };
    expect(scopes).toEqual(['events:write', 'customers:write']);
    const pool = createPool(testDatabaseUrl(), 'apikey-test', 1);
    try {
      const stored = await pool.query<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE id = $1', [
        id,
      ]);
      expect(stored.rows[0]?.key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(stored.rows[0]?.key_hash).not.toContain(key);
      const repo = new ApiKeysRepository(pool);
      expect((await repo.verify(key))?.name).toBe('cli-web');

      const listed = await apikey(['list'], env);
      expect(listed.stdout).toMatch(new RegExp(`${id}\\s+cli-web`));
      expect(listed.stdout).not.toContain(key);

      expect((await apikey(['revoke', id], env)).stdout).toMatch(`revoked API key ${id}`);
      expect(await repo.verify(key)).toBeNull();
      expect((await apikey(['revoke', id], env)).code).toBe(2);
    } finally {
      await pool.end();
    }
  });

  it('refuses unknown scopes with a usage message', async () => {
    const bad = await apikey(['create', '--name', 'x', '--scopes', 'events:write,root'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown scope\(s\) root/);
  });

  it('without DATABASE_URL nor a data folder of npm start, says what to do', async () => {
    const { DATABASE_URL: _omit, ...without } = env;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-apikey-'));
    try {
      const noDb = await apikey(['list'], { ...without, KAIROS_DATA_DIR: dataDir });
      expect(noDb.code).toBe(2);
      expect(noDb.stderr.trim()).toBe(
        `apikey: DATABASE_URL is not set and ${dataDir} holds no embedded PostgreSQL yet: run \`npm start\` once first ` +
          '(with the same KAIROS_DATA_DIR), or set DATABASE_URL=postgres://user:pass@host:5432/kairos (the database the gateway uses)',
      );
      // Nothing was created in the folder it was pointed at.
      expect(fs.readdirSync(dataDir)).toEqual([]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
