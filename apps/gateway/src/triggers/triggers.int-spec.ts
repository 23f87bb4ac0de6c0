import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../../test/support/temporal-env';
import { DEFAULT_TRIGGERS_DIR } from '../config';
import { startTestGateway, type RunningGateway, http } from '@kairos/testing';

// The gateway on the default KAIROS_TRIGGERS_DIR (the example set), read by @kairos/triggers.
describe('triggers with the default trigger directory (real Postgres, real Temporal test server)', () => {
  let env: TestWorkflowEnvironment;
  let gw: RunningGateway;
  let admin: string;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    gw = await startTestGateway({
      databaseUrl: testDatabaseUrl(),
      temporalAddress: env.address,
      taskQueue: `gw-triggers-${randomUUID()}`,
      triggersDir: DEFAULT_TRIGGERS_DIR,
    });
    admin = await gw.key(['admin']);
  });

  afterAll(async () => {
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
    const one = await http(gw.url, 'POST', '/v1/triggers/validate', {
      key: admin,
      body: {
        id: 'x',
        version: 1,
        pattern: { kind: 'event', name: 'a.b', as: 'a' },
        response: { channels: { order: ['email'] }, template: 'x' },
      },
    });
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ valid: true, errors: [] });
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
});
