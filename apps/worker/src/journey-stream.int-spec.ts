import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { createPool, JourneyEventsRepository } from '@kairos/persistence';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../test/support/temporal-env';
import { Customer, startKitWorker } from '@kairos/testing';

describe('customer journey under a constant stream (time-skipping server, real Postgres)', () => {
  let env: TestWorkflowEnvironment;
  let pool: Pool;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    pool = createPool(testDatabaseUrl());
  });
  afterAll(async () => {
    await pool.end();
    await env.teardown();
  });

  it('20,000 events to one customer pass through continue-as-new with none lost or doubled', async () => {
    const taskQueue = `stream-${randomUUID()}`;
    // A low history bound forces many continue-as-new boundaries while signals keep arriving.
    const worker = await startKitWorker(env.nativeConnection, pool, taskQueue, { historyBound: 1000 });
    try {
      const c = new Customer(
        env.client,
        taskQueue,
        `s-${randomUUID().slice(0, 8)}`,
        async () => Date.now(),
        pool,
      );
      const total = 20_000;
      // The first event starts the journey; concurrent signal-with-start on a workflow that does
      // not exist yet races on the Java test server (WorkflowExecutionAlreadyStarted).
      await c.send('page.viewed', { i: 0 }, 'ev-0');
      await c.send('page.viewed', { i: 0 }, 'ev-0');
      let next = 1;
      const sender = async () => {
        while (next < total) {
          const i = next++;
          await c.send('page.viewed', { i }, `ev-${i}`);
          // Every 1000th event is sent twice: a retried gateway call must count once.
          if (i % 1000 === 0) await c.send('page.viewed', { i }, `ev-${i}`);
        }
      };
      await Promise.all(Array.from({ length: 32 }, sender));
      const v = await c.until((x) => x.counters.events === total, 'all events', 90_000);
      expect(v.counters).toEqual({ events: total, duplicates: total / 1000, late: 0 });
      const rows = await new JourneyEventsRepository(pool).listForCustomer(c.id);
      expect(rows).toHaveLength(total);
      expect(new Set(rows.map((r) => r.eventId)).size).toBe(total);
      const desc = await env.client.workflow.getHandle(c.workflowId).describe();
      // More than one run: the history bound was crossed and state carried over.
      expect(desc.runId).not.toBe(desc.raw.workflowExecutionInfo?.firstRunId);
    } finally {
      await worker.stop();
    }
  });
});
