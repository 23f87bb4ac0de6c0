// Pacing of a broadcast's deliveries: a rate (token bucket) and a bound on calls in flight.

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A token bucket of `ratePerSecond`, holding at most 100 ms of tokens, so a broadcast never
 * bursts far above its rate. `take()` resolves when the caller may go.
 */
export class TokenBucket {
  private next = 0;
  private readonly intervalMs: number;
  private readonly burstMs = 100;

  constructor(
    ratePerSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.intervalMs = 1000 / ratePerSecond;
  }

  take(): Promise<void> {
    const now = this.now();
    this.next = Math.max(this.next, now - this.burstMs);
    const wait = this.next - now;
    this.next += this.intervalMs;
    return wait > 0 ? sleep(wait) : Promise.resolve();
  }
}

/** Runs `fn` over `items` with at most `concurrency` calls in flight; results in item order. */
export async function mapBounded<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let nextIndex = 0;
  const lane = async (): Promise<void> => {
    for (let i = nextIndex++; i < items.length; i = nextIndex++) results[i] = await fn(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return results;
}
