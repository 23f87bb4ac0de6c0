/** How the throughput bench offers load: closed loop with a fixed number in flight, or open loop at a rate. */
import { performance } from 'node:perf_hooks';

/** Runs `task(0..n-1)` with `concurrency` in flight; resolves with the elapsed milliseconds. */
export async function inFlight(
  n: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      for (let i = next++; i < n; i = next++) await task(i);
    }),
  );
  return performance.now() - t0;
}

/**
 * Starts `task(i)` at t0 + i / rate whatever the earlier ones do (open loop: a slow answer does
 * not slow the offered rate); resolves with each task's start time once all are done.
 */
export async function openLoop(
  n: number,
  ratePerS: number,
  task: (i: number) => Promise<void>,
): Promise<number[]> {
  const t0 = performance.now();
  const startedAt: number[] = [];
  const pending: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const wait = t0 + (i * 1000) / ratePerS - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    startedAt[i] = performance.now();
    pending.push(task(i));
  }
  await Promise.all(pending);
  return startedAt;
}
