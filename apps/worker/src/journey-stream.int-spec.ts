import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { createPool, JourneyEventsRepository } from '@kairos/persistence';
import { hashDefinitionSet, toDefinitionSet } from '@kairos/triggers';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../test/support/temporal-env';
import { Customer, kitDefinitions, startKitWorker } from '@kairos/testing';

// History bounds: continue-as-new under a constant stream, and the bound of a journey started on
// a version the gateway named (no local activity at start; it asks the worker's bound once its
// history reaches the lowest bound a worker accepts, 200 events).
describe('customer journey history bounds (time-skipping server, real Postgres)', () => {
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
      // Bursts of 1,000 events at full speed (32 in flight, far above the gateway's per-customer
      // rate), then 250 ms of quiet. A run can only close between bursts: the server refuses a
      // continue-as-new while signals arrive during its task (docs/architecture.md §1), so an
      // endless storm on one customer grows its run until the storm ends.
      let quiet: Promise<void> = Promise.resolve();
      const sender = async () => {
        while (next < total) {
          await quiet;
          const i = next++;
          if (i % 1000 === 0) quiet = new Promise((r) => setTimeout(r, 250));
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
      // More than one run: the history bound was crossed and state carried over; and the runs
      // stayed bounded (no run took a whole storm).
      expect(desc.runId).not.toBe(desc.raw.workflowExecutionInfo?.firstRunId);
      expect(desc.historyLength).toBeLessThan(4000);
    } finally {
      await worker.stop();
    }
  });

  const markers = async (c: Customer): Promise<number> => {
    const history = await env.client.workflow.getHandle(c.workflowId).fetchHistory();
    return (history.events ?? []).filter((e) => e.markerRecordedEventAttributes).length;
  };

  it('asks nothing at start, then learns the bound once, and keeps one run below it', async () => {
    const taskQueue = `named-${randomUUID()}`;
    const worker = await startKitWorker(env.nativeConnection, pool, taskQueue, { historyBound: 1000 });
    try {
      const hash = hashDefinitionSet(toDefinitionSet(kitDefinitions()));
      const clock = async () => Date.now();
      const c = new Customer(env.client, taskQueue, `n-${randomUUID().slice(0, 8)}`, clock, pool, hash);
      const asked = new Customer(env.client, taskQueue, `a-${randomUUID().slice(0, 8)}`, clock, pool);
      // Events that match no trigger of the kit: any marker is the definitions local activity.
      await c.send('page.viewed', { i: 0 });
      await asked.send('page.viewed', { i: 0 });
      await c.until((v) => v.counters.events === 1, 'first event');
      await asked.until((v) => v.counters.events === 1, 'first event');
      expect(await markers(c)).toBe(0);
      expect(await markers(asked)).toBe(1);

      // About 4 history events per event: 120 events pass 200 history events, not 1000.
      for (let i = 1; i < 120; i++) await c.send('page.viewed', { i });
      await c.until((v) => v.counters.events === 120, 'all events', 60_000);
      // A run past its bound closes a moment after its last event: give it that moment.
      await new Promise((r) => setTimeout(r, 500));
      const desc = await env.client.workflow.getHandle(c.workflowId).describe();
      expect(desc.historyLength).toBeGreaterThan(200);
      expect(desc.runId).toBe(desc.raw.workflowExecutionInfo?.firstRunId);
      expect(await markers(c)).toBe(1);
    } finally {
      await worker.stop();
    }
  });
});
