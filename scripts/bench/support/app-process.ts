/** Node entry points of the repository run as child processes by the benchmarks. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * Spawns a TypeScript entry point (through scripts/register.js) and resolves once its output
 * matches `ready`. stdout and stderr go to `logFile`; `env` is laid over this process's env
 * (an `undefined` value removes a variable).
 */
export function startApp(
  script: string,
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  logFile: string,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', './scripts/register.js', script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = fs.createWriteStream(logFile);
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer): void => {
      log.write(d);
      out += d.toString();
      if (ready.test(out)) resolve(child);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`${script} exited (${code}) before ready:\n${out.slice(-2000)}`)),
    );
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopApp(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
