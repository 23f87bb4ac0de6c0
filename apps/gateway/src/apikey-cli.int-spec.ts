import { execFile } from 'node:child_process';
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

  it('refuses unknown scopes and a missing DATABASE_URL with a usage message', async () => {
    const bad = await apikey(['create', '--name', 'x', '--scopes', 'events:write,root'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown scope\(s\) root/);
    const { DATABASE_URL: _omit, ...without } = env;
    const noDb = await apikey(['list'], without);
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toMatch(/DATABASE_URL is not set/);
  });
});
