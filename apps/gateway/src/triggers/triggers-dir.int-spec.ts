import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTestGateway } from '@kairos/testing';
import { testDatabaseUrl } from '../../../../test/support/temporal-env';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** A folder with one valid definition and one that breaks the trigger language. */
function invalidTriggersDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-bad-triggers-'));
  fs.writeFileSync(
    path.join(dir, 'ok.json'),
    JSON.stringify({ id: 'ok', version: 1, pattern: { kind: 'event', name: 'a.b' } }),
  );
  fs.writeFileSync(path.join(dir, 'broken.json'), JSON.stringify({ id: 'broken', version: 'two' }));
  return dir;
}

describe('the gateway refuses to start without a valid trigger folder', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('rejects a missing folder and an invalid one, naming the folder, the file and the error', async () => {
    const missing = path.join(os.tmpdir(), `kairos-no-such-triggers-${process.pid}`);
    const base = { databaseUrl: testDatabaseUrl(), temporalAddress: '127.0.0.1:1' };
    await expect(startTestGateway({ ...base, triggersDir: missing })).rejects.toThrow(
      `KAIROS_TRIGGERS: ${missing}: trigger directory does not exist: set KAIROS_TRIGGERS_DIR to a directory`,
    );
    const invalid = invalidTriggersDir();
    dirs.push(invalid);
    const refused = startTestGateway({ ...base, triggersDir: invalid });
    await expect(refused).rejects.toThrow(new RegExp(`^KAIROS_TRIGGERS: ${invalid}: broken\\.json:version `));
    await expect(refused).rejects.toThrow(/broken\.json:pattern is required/);
  });

  it('the gateway process exits 1 at boot with one line on stderr naming the folder', async () => {
    const missing = path.join(os.tmpdir(), `kairos-no-such-triggers-${process.pid}`);
    type Exit = { code: number; stdout: string; stderr: string };
    const failed = await promisify(execFile)(
      process.execPath,
      ['-r', './scripts/register.js', 'apps/gateway/src/main.ts'],
      {
        cwd: ROOT,
        timeout: 60_000,
        env: {
          PATH: process.env.PATH,
          DATABASE_URL: testDatabaseUrl(),
          TEMPORAL_ADDRESS: '127.0.0.1:1',
          PORT: '0',
          KAIROS_TRIGGERS_DIR: missing,
        },
      },
    ).then(
      (done): Exit => ({ code: 0, ...done }),
      (err: Exit): Exit => err,
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe(
      `KAIROS_TRIGGERS: ${missing}: trigger directory does not exist: set KAIROS_TRIGGERS_DIR to a directory\n`,
    );
    expect(failed.stdout).not.toContain('gateway listening');
  });
});
