import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../../test/support/temporal-env';
import { DEFAULT_TRIGGERS_DIR } from '../config';
import { startTestGateway, type RunningGateway, http } from '@kairos/testing';
import { createPool, EventVolumeRepository } from '@kairos/persistence';

// The gateway on the default KAIROS_TRIGGERS_DIR (the example set), read by @kairos/triggers.
describe('triggers with the default trigger directory (real Postgres, real Temporal test server)', () => {
  let env: TestWorkflowEnvironment;
  let gw: RunningGateway;
  let admin: string;
  let pool: Pool;
  let volume: EventVolumeRepository;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    gw = await startTestGateway({
      databaseUrl: testDatabaseUrl(),
      temporalAddress: env.address,
      taskQueue: `gw-triggers-${randomUUID()}`,
      triggersDir: DEFAULT_TRIGGERS_DIR,
    });
    admin = await gw.key(['admin']);
    pool = createPool(testDatabaseUrl());
    volume = new EventVolumeRepository(pool);
  });

  afterAll(async () => {
    await pool?.end();
    await gw?.close();
    await env?.teardown();
  });

  it('GET /v1/triggers lists id, version, enabled and hash of the example set, without load errors', async () => {
    const res = await http(gw.url, 'GET', '/v1/triggers', { key: admin });
    expect(res.status).toBe(200);
    const body = res.body as {
      triggers: { id: string; version: number; enabled: boolean; hash: string }[];
      errors: unknown[];
    };
    expect(body.errors).toEqual([]);
    expect(body.triggers.map((t) => t.id)).toEqual([
      'abandoned-cart',
      'browse-then-signup',
      'high-intent-views',
      'pricing-interest',
      'winback-inactivity',
    ]);
    for (const t of body.triggers)
      expect(t).toEqual({
        id: t.id,
        version: 1,
        enabled: true,
        hash: expect.stringMatching(/^[0-9a-f]{16}$/),
      });
  });

  it('accepts cart.updated (a pattern event of abandoned-cart) and ignores unknown names', async () => {
    const customerId = `c_${randomUUID().slice(0, 8)}`;
    const cart = await http(gw.url, 'POST', '/v1/events', {
      key: admin,
      body: { id: 'e1', customerId, name: 'cart.updated', properties: { cart_id: 'k1', cart_value: 250 } },
    });
    expect(cart.status).toBe(202);
    expect((cart.body as { status: string }).status).toBe('accepted');
    const other = await http(gw.url, 'POST', '/v1/events', {
      key: admin,
      body: { id: 'e2', customerId, name: 'nobody.cares' },
    });
    expect((other.body as { status: string }).status).toBe('ignored');
  });

  it('POST /v1/triggers/validate uses the library rules for one definition or an array', async () => {
    // A name no test ever sends, even in a database shared by earlier runs; the store holds a
    // recent event (an empty one has nothing to judge by, and gives no such warning).
    const unseen = `unseen.${randomUUID().slice(0, 8)}`;
    await volume.add([{ name: 'cart.updated', minute: new Date(), status: 'accepted', count: 1 }]);
    const one = await http(gw.url, 'POST', '/v1/triggers/validate', {
      key: admin,
      body: {
        id: 'x',
        version: 1,
        pattern: { kind: 'event', name: unseen, as: 'a' },
        response: { channels: { order: ['email'] }, template: 'x' },
      },
    });
    expect(one.status).toBe(200);
    // Valid, but no event of that name is stored: a warning names where the trigger mentions it.
    expect(one.body).toEqual({
      valid: true,
      errors: [],
      warnings: [
        {
          path: 'pattern.name',
          message: `no event named "${unseen}" was received in the last 30 days: check the spelling against what your producers send`,
        },
      ],
    });
    // A rule beyond shapes (a sequence cannot open with an absence), in an array: paths carry the index.
    const bad = await http(gw.url, 'POST', '/v1/triggers/validate', {
      key: admin,
      body: [
        { id: 'ok', version: 1, pattern: { kind: 'event', name: 'a' } },
        {
          id: 'bad',
          version: 1,
          pattern: {
            kind: 'seq',
            steps: [
              { kind: 'absent', event: { kind: 'event', name: 'a' } },
              { kind: 'step', node: { kind: 'event', name: 'b' } },
            ],
          },
        },
      ],
    });
    expect(bad.status).toBe(200);
    const body = bad.body as { valid: boolean; errors: { path: string; message: string }[] };
    expect(body.valid).toBe(false);
    expect(body.errors).toEqual([
      { path: '[1].pattern.steps[0]', message: expect.stringMatching(/cannot start/) },
    ]);
    const dup = await http(gw.url, 'POST', '/v1/triggers/validate', {
      key: admin,
      body: [
        { id: 'ok', version: 1, pattern: { kind: 'event', name: 'a' } },
        { id: 'ok', version: 2, pattern: { kind: 'event', name: 'b' } },
      ],
    });
    expect((dup.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['[1].id']);
  });

  it('POST /v1/triggers/validate refuses an unknown profile field and warns on a predicate that can never hold', async () => {
    const escalate = (when: unknown) => ({
      id: 'p',
      version: 1,
      pattern: {
        kind: 'event',
        name: 'cart.updated',
        where: {
          op: 'and',
          args: [
            { path: 'properties.total', op: 'gt', value: 10 },
            { path: 'properties.total', op: 'lt', value: 5 },
          ],
        },
      },
      response: { channels: { order: ['email'] }, template: 'x', escalate: { when, to: 'sales', sla: '4h' } },
    });
    const refused = await http(gw.url, 'POST', '/v1/triggers/validate', {
      key: admin,
      body: escalate({ path: 'profile.plan', op: 'eq', value: 'enterprise' }),
    });
    expect(refused.body).toMatchObject({
      valid: false,
      errors: [
        {
          path: 'response.escalate.when.path',
          message: expect.stringContaining('did you mean "profile.attributes.plan"'),
        },
      ],
    });
    const fixed = await http(gw.url, 'POST', '/v1/triggers/validate', {
      key: admin,
      body: escalate({ path: 'profile.attributes.plan', op: 'eq', value: 'enterprise' }),
    });
    const body = fixed.body as { valid: boolean; warnings: { path: string; message: string }[] };
    expect(body.valid).toBe(true);
    // cart.updated was received (stored by the test above), so the predicate is the only warning.
    expect(body.warnings).toEqual([
      {
        path: 'pattern.where',
        message: 'can never be true: on "properties.total" its bounds (> 10 and < 5) leave no value',
      },
    ]);
  });
});
