import { WorkerHeartbeatsRepository } from '@kairos/persistence';
import { hashDefinitionSet, toDefinitionSet } from '@kairos/triggers';
import { loadTriggerDir } from '@kairos/triggers/node';
import {
  FIXTURE_TRIGGERS_DIR,
  http,
  startGatewayStack,
  type GatewayStack,
  type RunningGateway,
} from '@kairos/testing';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../../test/support/temporal-env';

// Answers are cached for 1 s (DefinitionsCheckService): wait past it after each change.
const pastCache = () => new Promise((r) => setTimeout(r, 1_100));

describe('definitions hash: gateway against live workers (real Postgres)', () => {
  let stack: GatewayStack;
  let gw: RunningGateway;
  let heartbeats: WorkerHeartbeatsRepository;
  const dir = loadTriggerDir(FIXTURE_TRIGGERS_DIR);
  const expected = hashDefinitionSet(toDefinitionSet(dir));

  beforeAll(async () => {
    // A database of this file's own: workers of other test files must not show as live here.
    stack = await startGatewayStack({
      temporal: createTimeSkippingEnv,
      databaseUrl: testDatabaseUrl(),
      ownDatabase: 'kairos_defs',
    });
    gw = stack.gateway;
    heartbeats = new WorkerHeartbeatsRepository(gw.pool);
  });

  afterAll(() => stack?.close());

  const ready = async () => {
    const res = await http(gw.url, 'GET', '/health/ready');
    expect(res.status).toBe(200);
    return res.body.definitions as {
      status: string;
      gateway: string;
      workers: { hash: string; workers: number }[];
    };
  };
  const gauge = async () => {
    const text = (await http(gw.url, 'GET', '/metrics')).text;
    return /^kairos_definitions_mismatch (\d+)$/m.exec(text)?.[1];
  };
  const worker = (workerId: string, definitionsHash: string, taskQueue = gw.config.taskQueue) =>
    heartbeats.beat({ workerId, namespace: gw.config.namespace, taskQueue, definitionsHash });

  it('reports its own hash, computed as the worker computes it; unknown without live workers', async () => {
    expect(dir.errors).toEqual([]);
    expect(await ready()).toEqual({ status: 'unknown', gateway: expected, workers: [] });
    expect(await gauge()).toBe('0');
  });

  it('match when every live worker of its queue loaded the same set; other queues do not count', async () => {
    await worker('w1', expected);
    await worker('w-other-queue', '0000000000000000', 'another-queue');
    await pastCache();
    expect(await ready()).toEqual({
      status: 'match',
      gateway: expected,
      workers: [{ hash: expected, workers: 1 }],
    });
    expect(await gauge()).toBe('0');
  });

  it('mismatch (still 200) when a live worker loaded another set, on /health/ready and /metrics', async () => {
    await worker('w2', 'ffffffffffffffff');
    await pastCache();
    const defs = await ready();
    expect(defs.status).toBe('mismatch');
    expect(defs.workers).toEqual(
      expect.arrayContaining([
        { hash: expected, workers: 1 },
        { hash: 'ffffffffffffffff', workers: 1 },
      ]),
    );
    expect(await gauge()).toBe('1');
  });

  it('a worker that stopped beating is no longer live: back to match', async () => {
    await gw.pool.query(
      `UPDATE worker_heartbeats SET seen_at = now() - interval '10 minutes' WHERE worker_id = 'w2'`,
    );
    await pastCache();
    expect((await ready()).status).toBe('match');
    expect(await gauge()).toBe('0');
  });
});
