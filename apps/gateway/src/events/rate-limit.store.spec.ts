import type { Pool } from 'pg';
import { sharedLimiter } from './rate-limit.store';

/** A pool whose every query fails as an unreachable server does, counting the attempts. */
function downPool(): { pool: Pool; queries: () => number } {
  let n = 0;
  const pool = {
    query: () => {
      n++;
      return Promise.reject(new Error('connect ECONNREFUSED'));
    },
  } as unknown as Pool;
  return { pool, queries: () => n };
}

describe('sharedLimiter when Postgres fails', () => {
  it('counts in this instance’s memory instead: events are still taken, the limit still holds', async () => {
    const { pool: down, queries } = downPool();
    const limiter = sharedLimiter(down, 'test', 2);
    expect(await limiter.take('k')).toBeNull();
    expect(await limiter.take('k')).toBeNull();
    const wait = await limiter.take('k');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60_000);
    expect(await limiter.take('other')).toBeNull();
    expect(queries()).toBeGreaterThanOrEqual(3);
  });

  it('makes takes of one key in the same tick one query, allowing exactly the first that fit', async () => {
    const { pool: down, queries } = downPool();
    const limiter = sharedLimiter(down, 'test', 3);
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => limiter.take('k')));
    expect(answers.slice(0, 3)).toEqual([null, null, null]);
    expect(answers[3]).toBeGreaterThan(0);
    expect(answers[4]).toBeGreaterThan(0);
    expect(queries()).toBe(1);
    expect(await limiter.take('k')).toBeGreaterThan(0);
  });
});
