import type { Pool } from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';

/** The table of libs/persistence's migration 1733250000000 (RateLimiterPostgres' layout). */
export const RATE_LIMITS_TABLE = 'rate_limits';
const WINDOW_S = 60;

export type SharedLimiter = {
  readonly perMin: number;
  /** Takes one point under `key`: null when allowed, else how long until the window resets (ms). */
  take(key: string): Promise<number | null>;
};

/**
 * A fixed 60 s window per key, counted in Postgres so every gateway instance shares it
 * (rate-limiter-flexible's RateLimiterPostgres over the gateway's pool). Refused attempts count
 * too. Two safety nets: a key over its limit is refused from memory until its window ends (no
 * query while a client hammers), and while Postgres fails the instance counts in memory alone
 * (the insurance limiter): the limit then holds per instance, and events are still taken.
 */
export function sharedLimiter(
  pool: Pool,
  prefix: string,
  perMin: number,
  options: { clearsExpired?: boolean } = {},
): SharedLimiter {
  const limiter = new RateLimiterPostgres({
    storeClient: pool,
    storeType: 'pool',
    tableName: RATE_LIMITS_TABLE,
    tableCreated: true,
    // One limiter per table deletes windows expired for an hour (every 5 min, unref'd timer).
    clearExpiredByTimeout: options.clearsExpired === true,
    keyPrefix: prefix,
    points: perMin,
    duration: WINDOW_S,
    inMemoryBlockOnConsumed: perMin + 1,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix: prefix, points: perMin, duration: WINDOW_S }),
  });
  return { perMin, take: coalesced(perMin, limiter) };
}

type Waiter = { resolve: (wait: number | null) => void; reject: (err: unknown) => void };

/**
 * Takes made in the same turn of the event loop on one key become one `consume(key, n)`: a batch
 * of 100 events costs one query on its API key's and the global row instead of 100 (they were one
 * hot row each, updated under a row lock by every event). The store answers with the points
 * consumed after this take, so the first of the n that fit under the limit are allowed, exactly
 * as n separate takes in that order would be. An in-memory block (no store call) refuses all n.
 */
function coalesced(perMin: number, limiter: RateLimiterPostgres): SharedLimiter['take'] {
  const pending = new Map<string, Waiter[]>();
  const settle = async (key: string, waiters: Waiter[]): Promise<void> => {
    const n = waiters.length;
    try {
      await limiter.consume(key, n);
      for (const w of waiters) w.resolve(null);
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) return void waiters.forEach((w) => w.reject(res));
      const before = res.consumedPoints >= n ? res.consumedPoints - n : perMin;
      waiters.forEach((w, i) => w.resolve(before + i + 1 <= perMin ? null : res.msBeforeNext));
    }
  };
  const flush = (): void => {
    const groups = [...pending];
    pending.clear();
    for (const [key, waiters] of groups) void settle(key, waiters);
  };
  return (key) =>
    new Promise<number | null>((resolve, reject) => {
      if (pending.size === 0) setImmediate(flush);
      const waiters = pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else pending.set(key, [{ resolve, reject }]);
    });
}
