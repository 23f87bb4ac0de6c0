/**
 * `npm start`'s own stack, as a user runs it (scripts/start.ts: Temporal dev server on a SQLite
 * file, embedded PostgreSQL, migrations, the dev API key, worker and gateway processes), in a
 * temporary data dir on free ports, with the bench's trigger directory and webhook sink.
 */
import { type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { findFreePort } from '@kairos/testing';
import { startApp, stopApp } from './app-process';
import { commandLine, cpuMs, descendants } from './proc-stats';

export type KairosStack = {
  dataDir: string;
  gatewayPort: number;
  temporalAddress: string;
  apiKey: string;
  /** The SQLite file of the Temporal dev server. */
  temporalDb: string;
  pids: { start: number; worker: number; gateway: number; temporal: number };
  /** Command line of the dev server, to show its flags (pragmas) in the results. */
  temporalCommand: string;
  /** Every live process of the stack (Postgres backends included). */
  processes(): number[];
  stop(): Promise<void>;
};

function findChild(root: number, pattern: RegExp, what: string): number {
  const pid = descendants(root).find((p) => pattern.test(commandLine(p)));
  if (pid === undefined) throw new Error(`npm start: no ${what} process among its children`);
  return pid;
}

/** Free ports, all different: the OS may hand a just-released port out again. */
async function distinctFreePorts(n: 4): Promise<[number, number, number, number]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await findFreePort());
  return [...ports] as [number, number, number, number];
}

/** Starts the stack and resolves once `npm start` printed its ready line. */
export async function startKairosStack(options: {
  dir: string;
  triggersDir: string;
  webhookUrl: string;
}): Promise<KairosStack> {
  const dataDir = path.join(options.dir, 'data');
  const [gatewayPort, temporalPort, uiPort, pgPort] = await distinctFreePorts(4);
  const env: NodeJS.ProcessEnv = {
    KAIROS_DATA_DIR: dataDir,
    PORT: String(gatewayPort),
    TEMPORAL_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    KAIROS_PG_PORT: String(pgPort),
    KAIROS_TRIGGERS_DIR: options.triggersDir,
    KAIROS_WEBHOOK_URL: options.webhookUrl,
    KAIROS_PROVIDER_SECRET: randomBytes(24).toString('hex'),
    // Whatever this shell carries for another stack must not leak into this one.
    DATABASE_URL: undefined,
    KAIROS_OUTBOX_DIR: undefined,
    KAIROS_TASK_QUEUE: undefined,
    KAIROS_ENCRYPTION_KEYS: undefined,
    TEMPORAL_ADDRESS: undefined,
    LOG_LEVEL: undefined,
    // The default cache (1000 journeys) is what the memory figure divides by.
    KAIROS_MAX_CACHED_WORKFLOWS: undefined,
  };
  const child = await startApp(
    'scripts/start.ts',
    env,
    /\[kairos\] ready in/,
    path.join(options.dir, 'start.log'),
  );
  try {
    const start = child.pid!;
    // npm start is ready once the gateway answers; the worker may still be bundling its workflows.
    await waitForLine(path.join(dataDir, 'logs', 'worker.log'), /worker started/, 180_000);
    // Steady state: the gateway found the worker on its definitions, so it names them to new journeys.
    await waitForAgreement(gatewayPort, 60_000);
    const pids = {
      start,
      worker: findChild(start, /apps\/worker\/src\/main\.ts/, 'worker'),
      gateway: findChild(start, /apps\/gateway\/src\/main\.ts/, 'gateway'),
      temporal: findChild(start, /server start-dev/, 'Temporal dev server'),
    };
    return {
      dataDir,
      gatewayPort,
      temporalAddress: `127.0.0.1:${temporalPort}`,
      apiKey: fs.readFileSync(path.join(dataDir, 'dev-api-key'), 'utf8').trim(),
      temporalDb: path.join(dataDir, 'temporal.db'),
      pids,
      temporalCommand: commandLine(pids.temporal),
      processes: () => descendants(start),
      stop: () => stopStack(child),
    };
  } catch (err) {
    await stopStack(child);
    throw err;
  }
}

async function waitForAgreement(gatewayPort: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${gatewayPort}/health/ready`).catch(() => null);
    const body = (await res?.json().catch(() => null)) as { definitions?: { status?: string } } | null;
    if (body?.definitions?.status === 'match') return;
    if (Date.now() > deadline)
      throw new Error(`gateway: definitions not 'match' after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function waitForLine(file: string, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(fs.existsSync(file) && pattern.test(fs.readFileSync(file, 'utf8')))) {
    if (Date.now() > deadline) throw new Error(`${file}: no ${pattern} after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Resolves once the stack's processes used under 10 % of one core for a whole second (start-up
 * work done), or after 20 s whatever the machine's other load.
 */
export async function waitForQuiet(stack: KairosStack): Promise<void> {
  const busy = (): number =>
    cpuMs(stack.pids.worker) + cpuMs(stack.pids.gateway) + cpuMs(stack.pids.temporal);
  const deadline = Date.now() + 20_000;
  for (let before = busy(); Date.now() < deadline;) {
    await new Promise((r) => setTimeout(r, 1_000));
    const now = busy();
    if (now - before < 100) return;
    before = now;
  }
}

/**
 * SIGTERM to npm start (it stops its children first); a child that survives it is killed by
 * pid, only while its command line is still the one recorded (never a reused pid).
 */
async function stopStack(child: ChildProcess): Promise<void> {
  const children = (child.pid ? descendants(child.pid) : []).map((pid) => ({ pid, cmd: commandLine(pid) }));
  await stopApp(child, 60_000);
  for (const { pid, cmd } of children) {
    if (cmd === '' || commandLine(pid) !== cmd) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone meanwhile */
    }
  }
}
