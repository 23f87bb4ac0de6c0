/**
 * Models against a real PostgreSQL and a real Temporal dev server: training from stored events,
 * the card and scores it stores, the profileChanged signal to a journey whose score moved, the
 * cheap rescoring between trainings, and the Schedules a worker sets up at start.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { customerWorkflowId, WORKFLOW_TYPE } from '@kairos/contracts';
import { generateChurnHistory, ModelDefinitionSchema, type ModelCard } from '@kairos/models';
import {
  createPool,
  CustomersReadRepository,
  JourneyEventsRepository,
  ModelVersionsRepository,
} from '@kairos/persistence';
import type { Pool } from 'pg';
import { testDatabaseUrl } from '../../../../test/support/temporal-env';
import { createModelActivities } from './models.activities';
import { ensureModelSchedules, trainScheduleId } from './models-schedules';

const DAY = 86_400_000;

describe('models (real Postgres, real Temporal dev server)', () => {
  const suffix = randomUUID().slice(0, 6);
  const modelId = `churn-it${suffix}`;
  const prefix = `mit${suffix}-`;
  const def = ModelDefinitionSchema.parse({
    id: modelId,
    version: 1,
    target: { absent: { kind: 'event', name: 'session.started' }, for: '30d' },
    features: { events: ['session.started', 'product.viewed', 'email.delivered', 'email.opened'] },
  });
  let env: TestWorkflowEnvironment;
  let pool: Pool;
  const now = Date.now();
  const customers = generateChurnHistory({ customers: 400, end: now - 60_000, seed: 5, prefix });

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createLocal({
      ...(process.env.TEMPORAL_CLI_PATH
        ? { server: { executable: { type: 'existing-path', path: process.env.TEMPORAL_CLI_PATH } } }
        : {}),
    });
    pool = createPool(testDatabaseUrl(), 'kairos-models-test', 4);
    await new JourneyEventsRepository(pool).recordAll(
      customers.flatMap((c) =>
        c.events.map((e) => ({
          customerId: c.customerId,
          eventId: e.id,
          name: e.name,
          occurredAt: new Date(e.at),
          receivedAt: new Date(e.at),
          workflowId: customerWorkflowId(c.customerId),
          properties: e.properties,
        })),
      ),
    );
  });

  afterAll(async () => {
    await pool?.end();
    await env?.teardown();
  });

  const scoreOf = async (customerId: string) =>
    (
      await pool.query<{ s: { value: number; at: string; version: number } | null }>(
        'SELECT scores->$2 AS s FROM customers WHERE customer_id = $1',
        [customerId, modelId],
      )
    ).rows[0]?.s ?? null;

  it('trains from stored events, stores the card, scores customers and signals a journey whose score moved', async () => {
    const active = customers.find((c) =>
      c.events.some((e) => e.name === 'session.started' && e.at > now - 7 * DAY),
    )!;
    await env.client.workflow.start(WORKFLOW_TYPE, {
      taskQueue: `kairos-models-none-${suffix}`,
      workflowId: customerWorkflowId(active.customerId),
      args: [{ v: 1, customerId: active.customerId }],
    });
    // One clock for both trainings: retrained on the same data at the same instant, no score may move.
    const activities = createModelActivities({
      pool,
      models: () => [def],
      client: env.client,
      now: () => now,
    });
    const r = await activities.trainModel(modelId);
    expect(r).toMatchObject({ model: modelId, version: 1, decision: 'promoted' });
    const stored = await new ModelVersionsRepository(pool).current(modelId);
    const card = stored!.card as ModelCard;
    expect(card.holdout.auc).toBeGreaterThan(0.75);
    expect(card.train.customers).toBeGreaterThan(100);
    expect(card.topFeatures.length).toBeGreaterThan(0);
    const score = await scoreOf(active.customerId);
    expect(score).toMatchObject({ version: 1 });
    expect(score!.value).toBeGreaterThanOrEqual(0);
    expect(score!.value).toBeLessThanOrEqual(1);
    // What the journey reads on profileChanged carries the score.
    const profile = await new CustomersReadRepository(pool).get(active.customerId);
    expect(profile?.scores?.[modelId]).toEqual(score);
    const history = await env.client.workflow.getHandle(customerWorkflowId(active.customerId)).fetchHistory();
    const signals = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes);
    expect(signals.map((e) => e.workflowExecutionSignaledEventAttributes!.signalName)).toEqual([
      'kairos.profileChanged',
    ]);

    // The same data again: not worse on the holdout, promoted, and no stored score moves.
    const again = await activities.trainModel(modelId);
    expect(again).toMatchObject({ version: 2, decision: 'promoted', changed: 0 });

    // Between trainings only customers with new events are scored.
    await new JourneyEventsRepository(pool).recordAll([
      {
        customerId: active.customerId,
        eventId: `late-${suffix}`,
        name: 'session.started',
        occurredAt: new Date(),
        receivedAt: new Date(),
        workflowId: customerWorkflowId(active.customerId),
        properties: {},
      },
    ]);
    // On the real clock: the new event was received after the trainings' fixed instant. Other
    // suites' events in the shared database since then count as new too: the bound is read here.
    const window = await pool.query<{ total: number; ours: number }>(
      `SELECT count(DISTINCT customer_id)::int AS total,
              (count(DISTINCT customer_id) FILTER (WHERE customer_id LIKE $2))::int AS ours
         FROM journey_events WHERE received_at > $1`,
      [new Date(now - 60_000), `${prefix}%`],
    );
    expect(window.rows[0]!.ours).toBe(1);
    const live = createModelActivities({ pool, models: () => [def], client: env.client });
    const rescored = await live.scoreModel(modelId);
    expect(rescored).toMatchObject({ model: modelId, version: 2 });
    // The one customer of ours with a new event (and other suites' live ones), never all 400.
    const { scored } = rescored as { scored: number };
    expect(scored).toBeGreaterThanOrEqual(1);
    expect(scored).toBeLessThanOrEqual(window.rows[0]!.total);
  });

  it('creates the Schedules once and updates them on the next start; the schedule runs a training', async () => {
    const taskQueue = `kairos-models-${suffix}`;
    const other = { ...def, id: `${modelId}b` };
    expect(await ensureModelSchedules(env.client, taskQueue, [other])).toEqual({
      [`kairos-model-train:${other.id}`]: 'created',
      [`kairos-model-score:${other.id}`]: 'created',
    });
    const retrain = { ...other, retrain: '3d' };
    expect(Object.values(await ensureModelSchedules(env.client, taskQueue, [retrain]))).toEqual([
      'updated',
      'updated',
    ]);
    const described = await env.client.schedule.getHandle(trainScheduleId(other.id)).describe();
    expect(described.spec.intervals?.[0]?.every).toBe(3 * DAY);
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: path.join(__dirname, '..', 'workflows', 'models', 'models.workflow.ts'),
      activities: createModelActivities({ pool, models: () => [retrain], client: env.client }),
    });
    await worker.runUntil(async () => {
      // The first run was triggered at creation; wait for its result.
      for (let i = 0; i < 120; i += 1) {
        const d = await env.client.schedule.getHandle(trainScheduleId(other.id)).describe();
        const run = d.info.recentActions[0]?.action;
        if (run) {
          const result: unknown = await env.client.workflow
            .getHandle(run.workflow.workflowId, run.workflow.firstExecutionRunId)
            .result();
          expect(result).toMatchObject({ model: other.id, version: 1, decision: 'promoted' });
          return;
        }
        await new Promise((res) => setTimeout(res, 250));
      }
      throw new Error('the schedule never started a training');
    });
    await env.client.schedule.getHandle(trainScheduleId(other.id)).delete();
  });
});
