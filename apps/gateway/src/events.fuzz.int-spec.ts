import type { TestWorkflowEnvironment } from '@temporalio/testing';
import fc from 'fast-check';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../test/support/temporal-env';
import { startTestGateway, type RunningGateway, http, type HttpAnswer } from '@kairos/testing';

const EXPECTED = new Set([200, 202, 400, 413, 415, 429]);

function checkAnswer(res: HttpAnswer): void {
  if (!EXPECTED.has(res.status)) throw new Error(`unexpected ${res.status}: ${res.text.slice(0, 300)}`);
  if (res.status >= 400) {
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: expect.any(String),
      title: expect.any(String),
      status: res.status,
      detail: expect.any(String),
    });
  }
}

describe('POST /v1/events fuzz (fast-check; real Temporal up): bad input is never a 5xx', () => {
  let env: TestWorkflowEnvironment;
  let gw: RunningGateway;
  let key: string;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    gw = await startTestGateway({ databaseUrl: testDatabaseUrl(), temporalAddress: env.address });
    key = await gw.key(['events:write']);
  });

  afterAll(async () => {
    await gw?.close();
    await env?.teardown();
  });

  const name = fc.oneof(
    fc.constantFrom('cart.updated', 'order.placed', 'page.viewed'),
    fc.string(),
    fc.string({ unit: 'binary' }),
  );
  const anything = fc.oneof(fc.jsonValue(), fc.string({ unit: 'binary' }), fc.constant(undefined));
  const eventish = fc.record(
    {
      id: fc.oneof(fc.string({ maxLength: 140 }), anything),
      customerId: fc.oneof(fc.stringMatching(/^[a-z0-9]{1,10}$/), fc.string(), anything),
      name: fc.oneof(name, anything),
      category: fc.oneof(fc.constantFrom('customer_action', 'system', 'time_based', 'external'), anything),
      occurredAt: fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.string(),
        anything,
      ),
      source: anything,
      properties: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 8 })), anything),
      extra: anything,
    },
    { requiredKeys: [] },
  );

  it('answers every structured-but-wrong event with a 2xx or a 4xx problem', async () => {
    await fc.assert(
      fc.asyncProperty(eventish, async (body) => {
        const res = await http(gw.url, 'POST', '/v1/events', { key, body });
        checkAnswer(res);
        if (res.status === 202) expect(['accepted', 'duplicate', 'ignored']).toContain(res.body.status);
      }),
      { numRuns: 300 },
    );
  });

  it('answers arbitrary bytes and content types with a 4xx problem, never a 5xx', async () => {
    const contentType = fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/xml',
      'application/octet-stream',
      'multipart/form-data; boundary=x',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
        ),
        contentType,
        async (raw, type) => {
          checkAnswer(await http(gw.url, 'POST', '/v1/events', { key, raw, contentType: type }));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('answers arbitrary batch envelopes with 200 per-item results or a 4xx problem', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ events: fc.array(fc.oneof(eventish, anything), { maxLength: 20 }) }),
          fc.jsonValue(),
        ),
        async (body) => {
          const res = await http(gw.url, 'POST', '/v1/events/batch', { key, body });
          checkAnswer(res);
          if (res.status === 200) {
            expect((res.body.results as { index: number }[]).map((r) => r.index)).toEqual(
              ((body as { events: unknown[] }).events ?? []).map((_, i) => i),
            );
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
