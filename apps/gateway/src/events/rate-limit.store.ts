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
  return {
    perMin,
    async take(key) {
      try {
        await limiter.consume(key, 1);
        return null;
      } catch (res) {
        if (res instanceof RateLimiterRes) return res.msBeforeNext;
        throw res;
      }
    },
  };
}
