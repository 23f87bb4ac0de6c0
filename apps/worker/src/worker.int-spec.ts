import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import {
  customerWorkflowId,
  eventSignal,
  journeyQuery,
  WORKFLOW_TYPE,
  type EventSignal,
  type JourneyView,
} from '@kairos/contracts';
import { createPool, JourneyEventsRepository } from '@kairos/persistence';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../test/support/temporal-env';
import { createKairosWorker } from './worker';

describe('customer journey worker (time-skipping server, real Postgres)', () => {
  let env: TestWorkflowEnvironment;
  let pool: Pool;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `test-${randomUUID()}`;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    pool = createPool(testDatabaseUrl());
    worker = await createKairosWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      pool,
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker.shutdown();
    await running;
    await pool.end();
    await env.teardown();
  });

  function event(customerId: string, id: string, name: string): EventSignal {
    const now = Date.now();
    return {
      v: 2,
      id,
      customerId,
      name,
      category: 'customer_action',
      ts: now,
      receivedAt: now,
      properties: {},
    };
  }

  it('signal-with-start records each event once in Postgres, even when a signal is repeated', async () => {
    const customerId = `c-${randomUUID()}`;
    const workflowId = customerWorkflowId(customerId);
    for (const e of [
      event(customerId, 'e1', 'cart.updated'),
      event(customerId, 'e1', 'cart.updated'),
      event(customerId, 'e2', 'order.completed'),
    ]) {
      // As the gateway does: recorded (idempotently) before it is signalled.
      await new JourneyEventsRepository(pool).recordSignals([e]);
      await env.client.workflow.signalWithStart(WORKFLOW_TYPE, {
        workflowId,
        taskQueue,
        args: [{ v: 2, customerId }],
        signal: eventSignal,
        signalArgs: [e],
      });
    }
    const handle = env.client.workflow.getHandle(workflowId);
    let view: JourneyView | undefined;
    for (let i = 0; i < 50; i++) {
      view = await handle.query(journeyQuery);
      if (view.counters.events === 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(view?.counters).toEqual({ events: 2, duplicates: 1, late: 0 });
    const rows = await new JourneyEventsRepository(pool).listForCustomer(customerId);
    expect(rows.map((r) => [r.eventId, r.name, r.workflowId])).toEqual([
      ['e1', 'cart.updated', workflowId],
      ['e2', 'order.completed', workflowId],
    ]);
    await handle.terminate('test done');
  });
});
