import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../test/support/temporal-env';
import { http, startTestGateway, type RunningGateway } from '@kairos/testing';

const DEPTH = 20_000;

/** `{"a":{"a":...{"a":1}}}` nested DEPTH levels, written as text: JSON.stringify would recurse. */
const deepObject = (depth = DEPTH): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const deepArray = (depth = DEPTH): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const TOO_DEEP = 'properties.a.a.a.a.a';

describe('JSON depth and size are bounded before any recursive parse (real Postgres, real Temporal test server)', () => {
  let env: TestWorkflowEnvironment;
  let gw: RunningGateway;
  let admin: string;
  const c = (): string => `deep_${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    gw = await startTestGateway({ databaseUrl: testDatabaseUrl(), temporalAddress: env.address });
    admin = await gw.key(['admin']);
  });

  afterAll(async () => {
    await gw?.close();
    await env?.teardown();
  });

  it(`answers an event whose properties are nested ${DEPTH} deep with 400 naming the path`, async () => {
    const raw = `{"customerId":"${c()}","name":"cart.updated","properties":${deepObject()}}`;
    const res = await http(gw.url, 'POST', '/v1/events', { key: admin, raw });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toEqual({
      type: 'https://kairos.dev/problems/validation',
      title: 'Request body is invalid',
      status: 400,
      detail: `1 field(s) failed validation: ${TOO_DEEP}`,
      errors: [{ path: TOO_DEEP, message: 'must be nested at most 5 levels deep' }],
    });
  });

  it('rejects only the deep item of a batch; the items around it are accepted', async () => {
    const [a, b] = [c(), c()];
    const items = [
      `{"id":"ok1","customerId":"${a}","name":"cart.updated"}`,
      `{"id":"deep","customerId":"${a}","name":"cart.updated","properties":{"list":${deepArray()}}}`,
      `{"id":"ok2","customerId":"${b}","name":"cart.updated","properties":{"cart_value":3}}`,
    ];
    const res = await http(gw.url, 'POST', '/v1/events/batch', {
      key: admin,
      raw: `{"events":[${items.join(',')}]}`,
    });
    expect(res.status).toBe(200);
    const results = res.body.results as { index: number; id: string; status: string; error?: unknown }[];
    expect(results.map((r) => [r.index, r.id, r.status])).toEqual([
      [0, 'ok1', 'accepted'],
      [1, 'deep', 'rejected'],
      [2, 'ok2', 'accepted'],
    ]);
    expect(results[1]!.error).toMatchObject({
      status: 400,
      errors: [{ path: 'properties.list.0.0.0.0', message: 'must be nested at most 5 levels deep' }],
    });
  });

  it('bounds profile attributes like event properties: depth and size, with the path', async () => {
    const deep = await http(gw.url, 'PUT', `/v1/customers/${c()}`, {
      key: admin,
      raw: `{"attributes":${deepObject()}}`,
    });
    expect(deep.status).toBe(400);
    expect(deep.body.errors).toEqual([
      { path: 'attributes.a.a.a.a.a', message: 'must be nested at most 5 levels deep' },
    ]);
    const big = await http(gw.url, 'PUT', `/v1/customers/${c()}`, {
      key: admin,
      body: { attributes: { notes: 'x'.repeat(40 * 1024) } },
    });
    expect(big.status).toBe(400);
    expect(big.body.errors).toEqual([{ path: 'attributes', message: 'must be at most 32 KiB of JSON' }]);
  });

  it(`answers a body nested ${DEPTH} deep on every JSON route with a 4xx, never a 5xx`, async () => {
    const routes: [string, string][] = [
      ['POST', '/v1/events'],
      ['POST', '/v1/events/batch'],
      ['PUT', `/v1/customers/${c()}`],
      ['POST', `/v1/customers/${c()}/exit`],
      ['POST', '/v1/feedback'],
      ['POST', '/v1/triggers/validate'],
      ['POST', '/v1/escalations/esc_1/ack'],
      ['POST', '/codec/decode'],
    ];
    for (const [method, path] of routes)
      for (const raw of [deepObject(), deepArray(), `{"events":[${deepArray()}]}`]) {
        const res = await http(gw.url, method, path, { key: admin, raw });
        expect({ method, path, status: res.status < 500 ? 'below 500' : res.status }).toEqual({
          method,
          path,
          status: 'below 500',
        });
      }
  });
});
