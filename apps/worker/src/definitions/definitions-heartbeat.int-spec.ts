import { randomUUID } from 'node:crypto';
import type { State } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createPool, WorkerHeartbeatsRepository } from '@kairos/persistence';
import { testDatabaseUrl } from '../../../../test/support/temporal-env';
import { reportDefinitionsWhileRunning } from './definitions-heartbeat';

const until = async (check: () => Promise<boolean>, ms = 5_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('definitions heartbeat of a worker (real Postgres)', () => {
  let pool: Pool;
  beforeAll(() => {
    pool = createPool(testDatabaseUrl());
  });
  afterAll(async () => {
    await pool.end();
  });

  it('is live only while the worker runs, with the hash it loaded', async () => {
    const repo = new WorkerHeartbeatsRepository(pool);
    const taskQueue = `q-${randomUUID().slice(0, 8)}`;
    const live = () => repo.live('default', taskQueue, 60_000);
    let state: State = 'INITIALIZED';
    reportDefinitionsWhileRunning(
      { getState: () => state },
      { pool, namespace: 'default', taskQueue, hash: 'abcdef0123456789', periodMs: 100 },
    );
    // Created but not running yet: not live.
    await new Promise((r) => setTimeout(r, 300));
    expect(await live()).toEqual([]);
    state = 'RUNNING';
    await until(async () => (await live()).length === 1);
    expect(await live()).toEqual([{ hash: 'abcdef0123456789', workers: 1 }]);
    const seen = async () =>
      (
        await pool.query<{ at: Date }>('SELECT seen_at AS at FROM worker_heartbeats WHERE task_queue = $1', [
          taskQueue,
        ])
      ).rows[0]?.at.getTime() ?? 0;
    const first = await seen();
    await until(async () => (await seen()) > first);
    // Stopped: the row is removed at the next tick.
    state = 'STOPPED';
    await until(async () => (await live()).length === 0);
  });
});
