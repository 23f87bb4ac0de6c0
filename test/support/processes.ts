import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

/** Every descendant pid of a process (via ps), for orphan checks. */
export function descendants(pid: number): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' });
  const children = new Map<number, number[]>();
  for (const line of out.trim().split('\n')) {
    const [p, pp] = line.trim().split(/\s+/).map(Number);
    if (p === undefined || pp === undefined) continue;
    children.set(pp, [...(children.get(pp) ?? []), p]);
  }
  const result: number[] = [];
  const stack = [pid];
  while (stack.length) {
    const next = stack.pop()!;
    for (const c of children.get(next) ?? []) {
      result.push(c);
      stack.push(c);
    }
  }
  return result;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export type Started = {
  child: ChildProcess;
  output: () => string;
  waitFor: (re: RegExp, timeoutMs: number) => Promise<RegExpMatchArray>;
};

/** Spawns a command, collecting stdout+stderr, with a helper that waits for a line pattern. */
export function startProcess(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Started {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffer = '';
  child.stdout?.on('data', (d: Buffer) => (buffer += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (buffer += d.toString()));
  const waitFor = async (re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = buffer.match(re);
      if (m) return m;
      if (child.exitCode !== null)
        throw new Error(`process exited (${child.exitCode}) before ${re}; output:\n${buffer}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}; output:\n${buffer}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  return { child, output: () => buffer, waitFor };
}

export async function waitUntil<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
