import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { customerWorkflowId, journeyQuery } from '@kairos/contracts';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../../test/support/temporal-env';
import { JOURNEY_STUB_WORKFLOWS_PATH, startTestGateway, type RunningGateway, http } from '@kairos/testing';

describe('signal-with-start under concurrency (real Temporal test server)', () => {
  let env: TestWorkflowEnvironment;
  let gw: RunningGateway;
  let worker: Worker;
  let running: Promise<void>;
  let key: string;
  const taskQueue = `gw-concurrency-${randomUUID()}`;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: JOURNEY_STUB_WORKFLOWS_PATH,
    });
    running = worker.run();
    gw = await startTestGateway({ databaseUrl: testDatabaseUrl(), temporalAddress: env.address, taskQueue });
    key = await gw.key(['events:write']);
  });

  afterAll(async () => {
    await gw?.close();
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  it('accepts 10 concurrent first events of a new customer (one journey, counting all 10)', async () => {
    const customerId = `c_${randomUUID().slice(0, 8)}`;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        http(gw.url, 'POST', '/v1/events', {
          key,
          body: { id: `first-${i}`, customerId, name: 'cart.updated', properties: { cart_value: i + 1 } },
        }),
      ),
    );
    expect(
      answers.map((a): [number, unknown] => [a.status, (a.body as { status?: unknown }).status]),
    ).toEqual(Array.from({ length: 10 }, () => [202, 'accepted']));
    const handle = env.client.workflow.getHandle(customerWorkflowId(customerId));
    const view = await handle.query(journeyQuery);
    expect(view.counters.events).toBe(10);
    expect(view.recentEvents.map((e) => e.id).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `first-${i}`).sort(),
    );
    // One run received all ten signals: no event went to a second run or got lost in the race.
    const history = await handle.fetchHistory();
    const events = history.events ?? [];
    expect(events.filter((e) => e.workflowExecutionStartedEventAttributes).length).toBe(1);
    expect(events.filter((e) => e.workflowExecutionSignaledEventAttributes).length).toBe(10);
  });
});
