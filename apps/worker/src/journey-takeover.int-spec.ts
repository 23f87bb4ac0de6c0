import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import {
  customerWorkflowId,
  eventSignal,
  journeyQuery,
  WORKFLOW_TYPE,
  type EventSignal,
  type JourneyInput,
  type JourneyView,
} from '@kairos/contracts';
import { createPool, OutboxRepository } from '@kairos/persistence';
import { startKitWorker, tempOutbox } from '@kairos/testing';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../test/support/temporal-env';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** The frozen v1 journey without its takeover gate: what workers ran before journey v2. */
const V1_WORKFLOWS = path.resolve(__dirname, '../../../test/replay/v1/workflows.ts');

// apps/worker/README.md "Shipping a change" describes this procedure; this test runs it.
describe('journey v1 -> v2 takeover (time-skipping server, real Postgres)', () => {
  let env: TestWorkflowEnvironment;
  let pool: Pool;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    pool = createPool(testDatabaseUrl());
  });
  afterAll(async () => {
    await pool?.end();
    await env?.teardown();
  });

  /** Signal-with-start as the pre-v2 gateway did it: input `v: 1`. */
  async function sendV1(taskQueue: string, customerId: string, name: string): Promise<void> {
    const now = await env.currentTimeMs();
    const event: EventSignal = {
      v: 1,
      id: `${customerId}-${name}`,
      customerId,
      name,
      category: 'customer_action',
      ts: now,
      receivedAt: now,
      properties: { cart_id: 'k1' },
    };
    const input: JourneyInput = { v: 1, customerId };
    await env.client.workflow.signalWithStart(WORKFLOW_TYPE, {
      workflowId: customerWorkflowId(customerId),
      taskQueue,
      args: [input],
      signal: eventSignal,
      signalArgs: [event],
    });
  }

  async function until(
    customerId: string,
    probe: (v: JourneyView) => boolean,
    what: string,
  ): Promise<JourneyView> {
    const handle = env.client.workflow.getHandle(customerWorkflowId(customerId));
    const deadline = Date.now() + 30_000;
    for (;;) {
      const view = await handle.query(journeyQuery).catch(() => undefined);
      if (view && probe(view)) return view;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(view)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The `v` of the input the customer's current run started with. */
  async function inputVersion(customerId: string): Promise<unknown> {
    const history = await env.client.workflow.getHandle(customerWorkflowId(customerId)).fetchHistory();
    const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    return payload ? defaultPayloadConverter.fromPayload<JourneyInput>(payload).v : undefined;
  }

  it('journeys started on v1 and waiting mid-delay finish on v2 with exactly one send each', async () => {
    // Workers without a cache: the Java test server does not time out the sticky queue of a
    // stopped worker, so the v2 worker must pick the journeys up from their history alone.
    const taskQueue = `takeover-${randomUUID()}`;
    const outboxDir = tempOutbox();
    const outbox = new OutboxRepository(pool);
    const v1 = await startKitWorker(env.nativeConnection, pool, taskQueue, {
      workflowsPath: V1_WORKFLOWS,
      outboxDir,
      maxCachedWorkflows: 0,
    });
    const reminder = `tk-${randomUUID().slice(0, 8)}`; // a response scheduled 1 h after the match
    const cart = `tk-${randomUUID().slice(0, 8)}`; // a partial match completing after 2 h
    try {
      await sendV1(taskQueue, reminder, 'trial.started');
      await sendV1(taskQueue, cart, 'cart.updated');
      await until(reminder, (v) => v.pendingResponses.length === 1, 'pending reminder on v1');
      await until(cart, (v) => v.partialMatches.length === 1, 'partial match on v1');
      expect(await inputVersion(reminder)).toBe(1);
      expect(await inputVersion(cart)).toBe(1);
    } finally {
      await v1.stop();
    }

    const v2 = await startKitWorker(env.nativeConnection, pool, taskQueue, {
      outboxDir,
      maxCachedWorkflows: 0,
    });
    try {
      await env.sleep(2 * HOUR + MIN);
      await until(reminder, (v) => v.history.some((h) => h.status === 'sent'), 'reminder sent on v2');
      await until(cart, (v) => v.history.some((h) => h.status === 'sent'), 'cart email sent on v2');
      const sends = async (c: string) =>
        (await outbox.listForCustomer(c)).map((r) => `${r.triggerId}:${r.channel}`);
      expect(await sends(reminder)).toEqual(['trial-reminder:email']);
      expect(await sends(cart)).toEqual(['abandoned-cart:email']);
      expect(await inputVersion(reminder)).toBe(2);
      expect(await inputVersion(cart)).toBe(2);
    } finally {
      await v2.stop();
    }
  });
});
