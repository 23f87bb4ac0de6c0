import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ModelScoresRepository, ModelVersionsRepository, CustomersRepository } from '@kairos/persistence';
import { startTestGateway, type RunningGateway, http } from '@kairos/testing';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../../test/support/temporal-env';

describe('GET /v1/models and scores on GET /v1/customers/{id} (real Postgres)', () => {
  let env: TestWorkflowEnvironment;
  let gw: RunningGateway;
  let reader: string;
  const modelId = `gw-churn-${randomUUID().slice(0, 6)}`;
  const customerId = `gwm_${randomUUID().slice(0, 8)}`;
  const card = { model: modelId, version: 1, holdout: { auc: 0.9, liftAtTop10: 4 } };
  // Triggers on this model's score (one measured, one disabled), on another model, on an event.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-models-int-'));
  const triggers: [string, unknown, Record<string, unknown>?][] = [
    [
      'save',
      { kind: 'score', model: modelId, gte: 0.7 },
      {
        experiment: { variants: [{ id: 'a', weight: 1, delay: { type: 'none' } }], holdout: 0.2 },
        conversion: { event: { kind: 'event', name: 'order.completed' }, window: '7d' },
      },
    ],
    ['paused', { kind: 'score', model: modelId, lte: 0.2 }],
    ['buyers', { kind: 'score', model: 'buy', gte: 0.5 }],
    ['plain', { kind: 'event', name: 'cart.updated' }],
  ];

  beforeAll(async () => {
    fs.mkdirSync(path.join(dir, 'templates'));
    fs.writeFileSync(path.join(dir, 'templates', 't.liquid'), 'hello');
    for (const [id, pattern, response] of triggers)
      fs.writeFileSync(
        path.join(dir, `${id}.json`),
        JSON.stringify({
          id,
          version: 1,
          ...(id === 'paused' ? { enabled: false } : {}),
          pattern,
          response: { channels: { order: ['webhook'] }, template: 't', ...response },
        }),
      );
    env = await createTimeSkippingEnv();
    gw = await startTestGateway({
      databaseUrl: testDatabaseUrl(),
      temporalAddress: env.address,
      triggersDir: dir,
    });
    reader = await gw.key(['reports:read'], 'models');
    await new CustomersRepository(gw.pool).upsert(customerId, { email: 'a@example.com' });
    const versions = new ModelVersionsRepository(gw.pool);
    await versions.add(modelId, 1, true, () => ({ card, artifact: {} }));
    await versions.add(modelId, 1, false, (v) => ({ card: { ...card, version: v }, artifact: {} }));
    const at = new Date('2026-12-01T10:00:00Z');
    await new ModelScoresRepository(gw.pool).write(modelId, 1, at, [
      { customerId, value: 0.72 },
      { customerId: `${customerId}-other`, value: 0.1 },
    ]);
  });

  afterAll(async () => {
    await gw?.close();
    await env?.teardown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists every version with its card, the current one, and the score distribution', async () => {
    const r = await http(gw.url, 'GET', '/v1/models', { key: reader });
    expect(r.status).toBe(200);
    const model = (
      r.body as {
        models: {
          id: string;
          current: number;
          versions: { version: number; status: string }[];
          distribution: { from: number; customers: number; expectedPositives: number }[];
        }[];
      }
    ).models.find((m) => m.id === modelId)!;
    expect(model.current).toBe(1);
    expect(model.versions.map((v) => [v.version, v.status])).toEqual([
      [2, 'rejected'],
      [1, 'current'],
    ]);
    expect(model.distribution).toHaveLength(20);
    expect(model.distribution.find((b) => b.from === 0.7)).toMatchObject({
      customers: 1,
      expectedPositives: 0.72,
    });
    expect(model.distribution.find((b) => b.from === 0.1)).toMatchObject({ customers: 1 });
  });

  it('lists the enabled triggers reading the score, with their holdout share and conversion goal', async () => {
    const r = await http(gw.url, 'GET', '/v1/models', { key: reader });
    expect(r.status).toBe(200);
    const { models } = r.body as { models: { id: string; triggers: unknown[] }[] };
    expect(models.find((m) => m.id === modelId)!.triggers).toEqual([
      { triggerId: 'save', holdout: 0.2, conversion: { event: 'order.completed', window: '7d' } },
    ]);
  });

  it('shows scores beside the profile, kept by a later PUT of the profile', async () => {
    const key = await gw.key(['customers:write'], 'profiles');
    const put = await http(gw.url, 'PUT', `/v1/customers/${customerId}`, {
      key,
      body: { email: 'b@example.com' },
    });
    expect(put.status).toBe(200);
    const r = await http(gw.url, 'GET', `/v1/customers/${customerId}`, { key });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      email: 'b@example.com',
      scores: { [modelId]: { value: 0.72, at: '2026-12-01T10:00:00.000Z', version: 1 } },
    });
  });

  it('refuses a key without a read scope', async () => {
    const key = await gw.key(['events:write'], 'tracker');
    expect((await http(gw.url, 'GET', '/v1/models', { key })).status).toBe(403);
  });
});
