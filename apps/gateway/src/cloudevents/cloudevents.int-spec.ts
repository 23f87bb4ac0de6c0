import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { CloudEvent, emitterFor, HTTP, httpTransport, Mode, type Message } from 'cloudevents';
import { customerWorkflowId, eventSignal } from '@kairos/contracts';
import { JourneyEventsRepository } from '@kairos/persistence';
import { http, startTestGateway, type HttpAnswer, type RunningGateway } from '@kairos/testing';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../../test/support/temporal-env';
import { cloudEventId } from './cloudevent.mapper';

/** CloudEvents sent by the real `cloudevents` SDK (its HTTP binding and emitter) to the real gateway. */
describe('POST /v1/cloudevents (real Postgres, real Temporal test server, cloudevents SDK)', () => {
  let env: TestWorkflowEnvironment;
  let gw: RunningGateway;
  let writer: string;
  const c = (): string => `c_${randomUUID().slice(0, 8)}`;
  const source = '/shop/orders';
  // `order.placed` is a name the fixture triggers use: such events are accepted and recorded.
  const placed = (customerId: string, over: Record<string, unknown> = {}) =>
    new CloudEvent({ type: 'order.placed', source, subject: customerId, data: { total: 30 }, ...over });
  /** A message of the SDK's HTTP binding, sent as is, with the API key. */
  const send = (message: Message): Promise<HttpAnswer> =>
    http(gw.url, 'POST', '/v1/cloudevents', {
      key: writer,
      raw: typeof message.body === 'string' ? message.body : JSON.stringify(message.body),
      headers: Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, String(v)])),
      contentType: String(message.headers['content-type']),
    });
  const rows = (customerId: string) => new JourneyEventsRepository(gw.pool).listForCustomer(customerId);
  /** The events the customer's journey was signalled, as it received them. */
  const signalled = async (customerId: string): Promise<Record<string, unknown>[]> => {
    const history = await env.client.workflow.getHandle(customerWorkflowId(customerId)).fetchHistory();
    return (history.events ?? [])
      .map((e) => e.workflowExecutionSignaledEventAttributes)
      .filter((a) => a?.signalName === eventSignal.name)
      .map((a) => {
        const data = Buffer.from(a?.input?.payloads?.[0]?.data ?? new Uint8Array()).toString();
        return JSON.parse(data) as Record<string, unknown>;
      });
  };

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    gw = await startTestGateway({ databaseUrl: testDatabaseUrl(), temporalAddress: env.address });
    writer = await gw.key(['events:write'], 'ce-writer');
  });

  afterAll(async () => {
    await gw?.close();
    await env?.teardown();
  });

  it('binary mode (the SDK emitter): 202, recorded with type as name, time as occurredAt', async () => {
    const customerId = c();
    const event = placed(customerId, { time: '2026-11-24T10:00:00.000Z' });
    const emit = emitterFor(httpTransport(`${gw.url}/v1/cloudevents`), { mode: Mode.BINARY });
    const answer = (await emit(event, { headers: { authorization: `Bearer ${writer}` } })) as {
      body: string;
    };
    expect(JSON.parse(answer.body)).toEqual({
      id: cloudEventId(source, event.id),
      status: 'accepted',
      workflowId: customerWorkflowId(customerId),
    });
    const [row, ...more] = await rows(customerId);
    expect(more).toEqual([]);
    expect(row).toMatchObject({ eventId: cloudEventId(source, event.id), name: 'order.placed' });
    expect(row?.occurredAt.toISOString()).toBe('2026-11-24T10:00:00.000Z');
    expect(await signalled(customerId)).toEqual([
      expect.objectContaining({
        name: 'order.placed',
        category: 'external',
        source,
        properties: { total: 30 },
        ts: Date.parse('2026-11-24T10:00:00Z'),
      }),
    ]);
  });

  it('structured mode: 202; the customerid extension wins over subject; non-object data is kept', async () => {
    const customerId = c();
    const event = placed('ord_991', { customerid: customerId, data: 'gift wrap' });
    const message = HTTP.structured(event);
    expect(message.headers['content-type']).toMatch(/^application\/cloudevents\+json/);
    const res = await send(message);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'accepted', workflowId: customerWorkflowId(customerId) });
    expect((await rows(customerId)).map((r) => r.name)).toEqual(['order.placed']);
    expect(await rows('ord_991')).toEqual([]);
    expect((await signalled(customerId)).map((e) => e.properties)).toEqual([{ data: 'gift wrap' }]);
  });

  it('the same source and id twice counts once, in either mode; another source is another event', async () => {
    const customerId = c();
    const event = placed(customerId);
    const first = await send(HTTP.binary(event));
    const again = await send(HTTP.structured(event));
    const elsewhere = await send(HTTP.binary(event.cloneWith({ source: '/shop/returns' })));
    expect([first.status, again.status, elsewhere.status]).toEqual([202, 202, 202]);
    expect([first.body.status, again.body.status, elsewhere.body.status]).toEqual([
      'accepted',
      'duplicate',
      'accepted',
    ]);
    expect(again.body.id).toBe(first.body.id);
    expect((await rows(customerId)).map((r) => r.eventId).sort((a, b) => a.localeCompare(b))).toEqual(
      [cloudEventId(source, event.id), cloudEventId('/shop/returns', event.id)].sort((a, b) =>
        a.localeCompare(b),
      ),
    );
  });

  it('batch mode: 200, one result per item in order; a bad item is refused alone, naming its attribute', async () => {
    const [a, b] = [c(), c()];
    const good = placed(a);
    const items = [
      good.toJSON(),
      { ...placed(b).toJSON(), type: undefined },
      placed(b).toJSON(),
      good.toJSON(),
      { ...placed(b).toJSON(), data: { note: 'nul\u0000' } },
    ];
    const body = JSON.stringify(items);
    // The SDK's own reader takes this body as a batch of CloudEvents (of which one lacks `type`).
    expect(() =>
      HTTP.toEvent({ headers: { 'content-type': 'application/cloudevents-batch+json' }, body }),
    ).toThrow(/type/);
    const res = await http(gw.url, 'POST', '/v1/cloudevents', {
      key: writer,
      raw: body,
      contentType: 'application/cloudevents-batch+json; charset=utf-8',
    });
    expect(res.status).toBe(200);
    const results = res.body.results as { index: number; status: string; error?: { errors: unknown } }[];
    expect(results.map((r) => [r.index, r.status])).toEqual([
      [0, 'accepted'],
      [1, 'rejected'],
      [2, 'accepted'],
      [3, 'duplicate'],
      [4, 'rejected'],
    ]);
    expect(results[1]?.error?.errors).toEqual([
      { path: 'type', message: expect.stringMatching(/is required/) },
    ]);
    expect(results[4]?.error?.errors).toEqual([{ path: 'data.note', message: expect.stringMatching(/NUL/) }]);
    expect((await rows(a)).length).toBe(1);
    expect((await rows(b)).length).toBe(1);
  });

  it('refuses missing or wrong required attributes with 400, naming each', async () => {
    const res = await http(gw.url, 'POST', '/v1/cloudevents', {
      key: writer,
      body: { total: 1 },
      headers: { 'ce-specversion': '0.3', 'ce-subject': c() },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body.title).toBe('CloudEvent is invalid');
    expect((res.body.errors as { path: string }[]).map((e) => e.path)).toEqual([
      'specversion',
      'id',
      'source',
      'type',
    ]);
    const structured = await http(gw.url, 'POST', '/v1/cloudevents', {
      key: writer,
      raw: JSON.stringify({ specversion: '1.0', id: 'x1', source, subject: c(), type: 'bad\nname' }),
      contentType: 'application/cloudevents+json',
    });
    expect(structured.status).toBe(400);
    expect(structured.body.errors).toEqual([
      { path: 'type', message: expect.stringMatching(/control characters/) },
    ]);
  });

  it('refuses an event without a customer (no subject, no customerid) with 400 naming subject', async () => {
    const res = await send(HTTP.binary(new CloudEvent({ type: 'order.placed', source, data: { total: 1 } })));
    const nul = await send(HTTP.binary(placed(c(), { data: { note: 'a\u0000' } })));
    expect(nul.status).toBe(400);
    expect(nul.body.errors).toEqual([{ path: 'data.note', message: expect.stringMatching(/NUL/) }]);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'subject', message: expect.stringMatching(/customer id/) }]);
  });

  it('answers malformed JSON 400, a batch that is not an array 400, non-JSON binary data 415', async () => {
    const post = (raw: string, contentType: string, headers: Record<string, string> = {}) =>
      http(gw.url, 'POST', '/v1/cloudevents', { key: writer, raw, contentType, headers });
    const malformed = await post('{"specversion":', 'application/cloudevents+json');
    const notArray = await post(JSON.stringify(placed(c()).toJSON()), 'application/cloudevents-batch+json');
    const ceHeaders = {
      'ce-specversion': '1.0',
      'ce-id': '1',
      'ce-source': source,
      'ce-type': 'order.placed',
    };
    const text = await post('hello', 'text/plain', { ...ceHeaders, 'ce-subject': c() });
    expect([malformed.status, notArray.status, text.status]).toEqual([400, 400, 415]);
    expect(notArray.body.errors).toEqual([
      { path: '(body)', message: 'must be a JSON array of CloudEvents' },
    ]);
  });

  it('needs the events:write key like /v1/events', async () => {
    const message = HTTP.structured(placed(c()));
    const anonymous = await http(gw.url, 'POST', '/v1/cloudevents', {
      raw: String(message.body),
      contentType: 'application/cloudevents+json',
    });
    expect(anonymous.status).toBe(401);
  });
});
