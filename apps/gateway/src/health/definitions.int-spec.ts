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
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { customerWorkflowId, type JourneyInput } from '@kairos/contracts';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../../test/support/temporal-env';

// Answers are cached for 1 s (DefinitionsCheckService): wait past it after each change.
const pastCache = () => new Promise((r) => setTimeout(r, 1_100));

describe('definitions hash: gateway against live workers (real Postgres)', () => {
  let stack: GatewayStack<TestWorkflowEnvironment>;
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
  // The input a new customer's journey was started with (no worker polls here: it only waits).
  const startedWith = async (customerId: string): Promise<JourneyInput> => {
    const key = await gw.key(['events:write']);
    const res = await http(gw.url, 'POST', '/v1/events', {
      key,
      body: { customerId, name: 'cart.updated', category: 'customer_action', properties: {} },
    });
    expect(res.status).toBe(202);
    const handle = stack.env.client.workflow.getHandle(customerWorkflowId(customerId));
    const history = await handle.fetchHistory();
    const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    return JSON.parse(Buffer.from(payload!.data!).toString()) as JourneyInput;
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

  it('a new journey starts on the agreed version by name (its first run asks no worker)', async () => {
    expect(await startedWith('defs-match')).toEqual({
      v: 2,
      customerId: 'defs-match',
      definitions: expected,
    });
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
    // Some live worker may lack the gateway's version: the journey asks the worker that takes it.
    expect(await startedWith('defs-mismatch')).toEqual({ v: 2, customerId: 'defs-mismatch' });
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
