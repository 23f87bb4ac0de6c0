// Issue 12 item 9: what an attacker (or a broken client) sends, against the real gateway (real
// Postgres, Temporal's test server), with the safe answer each must get and never a 5xx:
// deep and wide JSON and unstorable strings in every field of every body, huge numbers, forged
// and replayed tracking tokens, scope escalation, unsigned and mis-signed provider callbacks.
// Erasure leftovers (every table and the outbox folder searched for an erased id) are covered by
// apps/gateway/src/customers/erasure.int-spec.ts; here only a link of an erased customer.
// Random bodies over every route: test/fuzz/endpoints.fuzz.int-spec.ts.
import { randomBytes, randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DEV_TRACKING_SECRET, signTrackingToken } from '@kairos/codec';
import { API_KEY_SCOPES, OutboxRepository, ResponsesRepository, type ApiKeyScope } from '@kairos/persistence';
import { http, startTestGateway, type HttpAnswer, type RunningGateway } from '@kairos/testing';
import { createTimeSkippingEnv, testDatabaseUrl } from '../support/temporal-env';
import {
  deepArray,
  deepObject,
  dotted,
  feedbackSignature,
  HUGE_NUMBERS,
  leaves,
  stringLeaves,
  replaceAt,
  tokenParts,
  trackingMac,
  trackingPayload,
  UNSTORABLE_STRINGS,
  wideArray,
  wideObject,
  withRawAt,
  type JsonPath,
} from './abuse-kit';

const NEW = { kid: 'k2', secret: 'abuse-spec-tracking-key-new-0000000002' };
const OLD = { kid: 'k1', secret: 'abuse-spec-tracking-key-old-0000000001' };
const FEEDBACK_SECRET = 'abuse-spec-feedback-signing-secret-0123456789';
const TARGET = 'https://shop.example/cart?id=7';
const EVIL = 'https://evil.example/phish';
const DEPTH = 20_000;

/** A route that takes a JSON body, with a valid body (so each variant differs by the abuse only). */
type BodyRoute = { name: string; method: string; path: string; body: Record<string, unknown> };

const cid = (): string => `abuse_${randomUUID().slice(0, 12)}`;
const b64 = (text: string): string => Buffer.from(text).toString('base64');

function bodyRoutes(): BodyRoute[] {
  const event = { id: `e_${randomUUID()}`, customerId: cid(), name: 'cart.updated' };
  const properties = { cart_value: 3, note: 'gift' };
  const payloads = [{ metadata: { encoding: b64('json/plain') }, data: b64('{"a":1}') }];
  return [
    { name: 'event', method: 'POST', path: '/v1/events', body: { ...event, properties } },
    { name: 'batch', method: 'POST', path: '/v1/events/batch', body: { events: [{ ...event, properties }] } },
    {
      name: 'profile',
      method: 'PUT',
      path: `/v1/customers/${cid()}`,
      body: { email: 'ana@example.com', timezone: 'Europe/Paris', attributes: { tier: 'gold', n: 1 } },
    },
    { name: 'exit', method: 'POST', path: `/v1/customers/${cid()}/exit`, body: { reason: 'moved away' } },
    {
      name: 'feedback',
      method: 'POST',
      path: '/v1/feedback',
      body: { deliveryId: `d_${randomUUID()}`, type: 'opened', at: '2026-11-24T10:00:00+01:00' },
    },
    {
      name: 'validate',
      method: 'POST',
      path: '/v1/triggers/validate',
      body: {
        id: 'abuse-check',
        version: 1,
        pattern: { kind: 'event', name: 'cart.updated', as: 'e' },
        response: { channels: { order: ['email'] }, template: 'abandoned-cart' },
      },
    },
    {
      name: 'ack',
      method: 'POST',
      path: '/v1/escalations/esc_abuse/ack',
      body: { by: 'ops', outcome: 'dismissed' },
    },
    { name: 'encode', method: 'POST', path: '/codec/encode', body: { payloads } },
    { name: 'decode', method: 'POST', path: '/codec/decode', body: { payloads } },
  ];
}

/** What a route answers a valid body with (ack: no such escalation). */
const BASELINE: Record<string, number> = {
  event: 202,
  batch: 200,
  profile: 201,
  exit: 202,
  feedback: 202,
  validate: 200,
  ack: 404,
  encode: 200,
  decode: 200,
};

describe('abuse suite: hostile input against the real gateway gets its safe answer, never a 5xx', () => {
  let env: TestWorkflowEnvironment;
  let gw: RunningGateway;
  let admin: string;
  /** Every answer of the suite: the last test asserts none was a 5xx. */
  const answers: { request: string; status: number }[] = [];

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    gw = await startTestGateway({
      databaseUrl: testDatabaseUrl(),
      temporalAddress: env.address,
      trackingKeys: [NEW, OLD],
      feedbackSigningSecret: FEEDBACK_SECRET,
      encryptionKeys: [{ id: 'abuse', key: randomBytes(32) }],
    });
    admin = await gw.key(['admin'], 'abuse-admin');
  });

  afterAll(async () => {
    await gw?.close();
    await env?.teardown();
  });

  async function call(method: string, path: string, options: Parameters<typeof http>[3] = {}) {
    const res = await http(gw.url, method, path, options);
    answers.push({ request: `${method} ${path.slice(0, 120)}`, status: res.status });
    return res;
  }

  /** Sends raw body text to a route with the admin key (feedback also signed: the body is what is tested). */
  const send = (route: BodyRoute, raw: string, key = admin): Promise<HttpAnswer> =>
    call(route.method, route.path, {
      key,
      raw,
      headers: route.name === 'feedback' ? feedbackSignature(FEEDBACK_SECRET, raw) : {},
    });

  /** 400 problem, or for a batch item the item alone rejected, or for validate `valid: false`. */
  function refusal(route: BodyRoute, path: JsonPath, res: HttpAnswer): string | null {
    const inItem = route.name === 'batch' && path[0] === 'events' && path.length > 1;
    const ok = inItem
      ? res.status === 200 && res.body?.results?.[0]?.status === 'rejected'
      : route.name === 'validate'
        ? (res.status === 200 && res.body?.valid === false) || res.status === 400
        : res.status === 400 && /^application\/problem\+json/.test(res.headers.get('content-type') ?? '');
    return ok ? null : `${route.name} ${dotted(path) || '(body)'}: ${res.status} ${res.text.slice(0, 160)}`;
  }

  /** Whether a route took the body as valid (a batch: its item accepted; validate: `valid: true`). */
  function taken(route: BodyRoute, res: HttpAnswer): boolean {
    if (route.name === 'batch') return res.status === 200 && res.body?.results?.[0]?.status !== 'rejected';
    if (route.name === 'validate') return res.status === 200 && res.body?.valid === true;
    return res.status === BASELINE[route.name];
  }

  it('answers each valid body as documented (the baseline every variant below differs from)', async () => {
    const got: Record<string, number> = {};
    for (const route of bodyRoutes())
      got[route.name] = (await send(route, JSON.stringify(route.body))).status;
    expect(got).toEqual(BASELINE);
  });

  it(`refuses JSON nested ${DEPTH} deep as the body and in every field of every body`, async () => {
    const wrong: string[] = [];
    for (const route of bodyRoutes()) {
      for (const raw of [deepObject(DEPTH), deepArray(DEPTH)]) {
        const whole = await send(route, raw);
        if (refusal(route, [], whole)) wrong.push(refusal(route, [], whole)!);
        for (const path of leaves(route.body)) {
          const res = await send(route, withRawAt(route.body, path, raw));
          const why = refusal(route, path, res);
          if (why) wrong.push(why);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses wide JSON (50,000 keys, 200,000 items, 900 KB strings) as the body and in every field', async () => {
    const wrong: string[] = [];
    const huge = JSON.stringify('w'.repeat(900 * 1024));
    // One wide shape per field, in turn: each body is under the 1 MiB limit, so its content is judged.
    const shapes = [wideObject(20_000), wideArray(200_000), huge];
    for (const route of bodyRoutes()) {
      const whole = await send(route, wideObject(50_000));
      if (refusal(route, [], whole)) wrong.push(refusal(route, [], whole)!);
      for (const [i, path] of leaves(route.body).entries()) {
        const raw = shapes[i % shapes.length]!;
        const res = await send(route, withRawAt(route.body, path, raw));
        // The codec's payload data and metadata are opaque bytes: a big one is a valid payload.
        const opaque = route.path.startsWith('/codec/') && raw === huge;
        if (opaque && res.status >= 500) wrong.push(`${route.name} ${dotted(path)}: ${res.status}`);
        const why = opaque ? null : refusal(route, path, res);
        if (why) wrong.push(why);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses NUL and lone surrogates in every string field and every open key, naming the field', async () => {
    const wrong: string[] = [];
    // Batch items are answered one by one: see the next test.
    for (const route of bodyRoutes().filter((r) => r.name !== 'batch')) {
      for (const path of stringLeaves(route.body)) {
        for (const bad of UNSTORABLE_STRINGS) {
          const res = await send(route, JSON.stringify(replaceAt(route.body, path, bad)));
          const named = res.body?.errors?.[0]?.path === dotted(path);
          if (res.status !== 400 || !named)
            wrong.push(
              `${route.name} ${dotted(path)} ${JSON.stringify(bad)}: ${res.status} ${res.text.slice(0, 160)}`,
            );
        }
      }
    }
    // Keys of open objects (event properties, profile attributes) are stored too.
    const [event, , profile] = bodyRoutes();
    for (const [route, field] of [
      [event!, 'properties'],
      [profile!, 'attributes'],
    ] as const) {
      for (const bad of UNSTORABLE_STRINGS) {
        const res = await send(route, JSON.stringify({ ...route.body, [field]: { [bad]: 1 } }));
        if (res.status !== 400) wrong.push(`${route.name} key ${JSON.stringify(bad)}: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers a batch item carrying NUL or a lone surrogate on its own: the items around it are accepted', async () => {
    const wrong: string[] = [];
    const item = (): Record<string, unknown> => ({
      id: `e_${randomUUID()}`,
      customerId: cid(),
      name: 'cart.updated',
      properties: { cart_value: 3, note: 'gift' },
    });
    const template = item();
    for (const path of stringLeaves(template)) {
      for (const bad of UNSTORABLE_STRINGS) {
        const events = [item(), replaceAt(item(), path, bad), item()];
        const res = await call('POST', '/v1/events/batch', { key: admin, body: { events } });
        const statuses = (res.body?.results as { status: string }[] | undefined)?.map((r) => r.status);
        const named = res.body?.results?.[1]?.error?.errors?.[0]?.path === dotted(path);
        if (res.status !== 200 || statuses?.join() !== 'accepted,rejected,accepted' || !named)
          wrong.push(`${dotted(path)} ${JSON.stringify(bad)}: ${res.status} ${res.text.slice(0, 200)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  const BAD_IDS = ['a%00b', '%00', '%ED%A0%80', 'x'.repeat(129), '..%2F..%2Fetc'];

  it('refuses NUL, lone surrogates, overlong and traversal customer ids and queries with 400', async () => {
    const wrong: string[] = [];
    for (const id of BAD_IDS) {
      for (const [method, path] of [
        ['GET', `/v1/customers/${id}`],
        ['PUT', `/v1/customers/${id}`],
        ['DELETE', `/v1/customers/${id}`],
        ['POST', `/v1/customers/${id}/exit`],
        ['GET', `/v1/customers/${id}/journey`],
      ] as const) {
        const body = method === 'PUT' ? {} : method === 'POST' ? { reason: 'x' } : undefined;
        const res = await call(method, path, { key: admin, ...(body ? { body } : {}) });
        if (res.status !== 400) wrong.push(`${method} ${path}: ${res.status} ${res.text.slice(0, 160)}`);
      }
    }
    for (const query of ['customerId=a%00b', 'status=%ED%A0%80', 'customerId=%00']) {
      const res = await call('GET', `/v1/escalations?${query}`, { key: admin });
      if (res.status !== 400) wrong.push(`GET /v1/escalations?${query}: ${res.status}`);
    }
    for (const query of ['from=%00', 'from=1e400', 'to=-0&from=9007199254740993', 'bucket=%ED%A0%80']) {
      const res = await call('GET', `/v1/reports/volume?${query}`, { key: admin });
      if (res.status !== 400) wrong.push(`GET /v1/reports/volume?${query}: ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('answers escalation ids with NUL, lone surrogates, overlong or traversal text with 400 or 404', async () => {
    const got: Record<string, number | 'refused'> = {};
    for (const id of BAD_IDS) {
      const res = await call('POST', `/v1/escalations/${id}/ack`, {
        key: admin,
        body: { by: 'ops', outcome: 'accepted' },
      });
      // 404: a storable id no escalation has; 400: one the router or validation refuses.
      got[id.slice(0, 20)] = res.status === 400 || res.status === 404 ? 'refused' : res.status;
    }
    expect(got).toEqual(Object.fromEntries(BAD_IDS.map((id) => [id.slice(0, 20), 'refused'])));
  });

  it('answers huge numbers (1e308, -0, 2^53+1, 1e400) in every field without a 5xx; out-of-range ones are refused', async () => {
    const wrong: string[] = [];
    const accepted: string[] = [];
    for (const route of bodyRoutes()) {
      for (const path of leaves(route.body)) {
        for (const number of HUGE_NUMBERS) {
          const res = await send(route, withRawAt(route.body, path, number));
          const where = `${route.name} ${dotted(path)}=${number}`;
          if (res.status >= 500) wrong.push(`${where}: ${res.status} ${res.text.slice(0, 160)}`);
          else if (taken(route, res)) accepted.push(where);
        }
      }
    }
    expect(wrong).toEqual([]);
    // Only open values (event properties, profile attributes) take a number, and only a finite
    // one: 1e400 parses to Infinity and is refused.
    expect(accepted.filter((a) => /=-?1e400$/.test(a))).toEqual([]);
    expect(accepted.filter((a) => !/ (properties\.|events\.0\.properties\.|attributes\.)/.test(a))).toEqual(
      [],
    );
  });

  it('stores finite huge numbers as JSON doubles: 1e308 kept, -0 as 0, 2^53+1 rounded to 2^53', async () => {
    const id = cid();
    const raw = '{"attributes":{"big":1e308,"negZero":-0,"unsafe":9007199254740993,"small":-1e308}}';
    expect((await call('PUT', `/v1/customers/${id}`, { key: admin, raw })).status).toBe(201);
    const got = await call('GET', `/v1/customers/${id}`, { key: admin });
    expect(got.body.attributes).toEqual({ big: 1e308, negZero: 0, unsafe: 2 ** 53, small: -1e308 });
  });

  describe('tracking links: forged, tampered and replayed tokens', () => {
    let deliveryId: string;
    const customerId = cid();
    const get = async (path: string, method = 'GET') => {
      const res = await fetch(`${gw.url}${path}`, { method, redirect: 'manual' });
      answers.push({ request: `${method} ${path.slice(0, 120)}`, status: res.status });
      return res;
    };
    const rows = () => new ResponsesRepository(gw.pool).listForDelivery(deliveryId);

    beforeAll(async () => {
      deliveryId = `d_${randomUUID().replace(/-/g, '')}`;
      await new OutboxRepository(gw.pool).insert({
        deliveryId,
        matchId: `m_${randomUUID().slice(0, 8)}`,
        customerId,
        triggerId: 'abandoned-cart',
        triggerVersion: 1,
        channel: 'email',
        templateId: 'abandoned-cart',
        variant: 'now',
        recipient: 'a@example.com',
        subject: 's',
        body: 'b',
        transport: 'outbox',
        transportRef: null,
      });
    });

    /** Tokens an attacker can make for the real delivery without the current keys. */
    function forgeries(): Record<string, string> {
      const genuine = tokenParts(signTrackingToken([NEW], deliveryId, TARGET));
      const evil = trackingPayload(deliveryId, EVIL);
      const flipped = `${genuine.signature.startsWith('A') ? 'B' : 'A'}${genuine.signature.slice(1)}`;
      return {
        'signature mismatch': `${genuine.kid}.${genuine.payload}.${flipped}`,
        'tampered payload, genuine signature': `${genuine.kid}.${evil}.${genuine.signature}`,
        'payload re-signed with the public development key': signTrackingToken(
          DEV_TRACKING_SECRET,
          deliveryId,
          EVIL,
        ),
        'unknown kid': `k9.${evil}.${trackingMac(NEW.secret, `k9.${evil}`)}`,
        'kid of one key, signed with the other': `${NEW.kid}.${evil}.${trackingMac(OLD.secret, `${NEW.kid}.${evil}`)}`,
        'legacy 2-part token signed with another secret': `${evil}.${trackingMac('some-other-secret-0000000000', evil)}`,
        'legacy 2-part token, tampered payload': `${evil}.${trackingMac(NEW.secret, trackingPayload(deliveryId, TARGET))}`,
        'no signature': `${genuine.kid}.${evil}.`,
        'javascript: target, genuine signature': signTrackingToken([NEW], deliveryId, 'javascript:alert(1)'),
        'four parts': `${genuine.kid}.${genuine.payload}.${genuine.signature}.x`,
        'oversized token': `${genuine.kid}.${'A'.repeat(5_000)}.${genuine.signature}`,
        'NUL in token': `${genuine.kid}.${genuine.payload}%00.${genuine.signature}`,
      };
    }

    it('answers every forged click with 404 and no Location, and every forged pixel with the GIF, counting nothing', async () => {
      const wrong: string[] = [];
      for (const [what, token] of Object.entries(forgeries())) {
        // Over the router's maxParamLength (4096, the longest token verified) fastify answers 414 first.
        const [clickStatus, pixelStatus] = what === 'oversized token' ? [414, 414] : [404, 200];
        for (const method of ['GET', 'HEAD']) {
          const click = await get(`/t/c/${token}`, method);
          if (click.status !== clickStatus || click.headers.get('location') !== null)
            wrong.push(`${what} ${method} click: ${click.status} ${click.headers.get('location')}`);
          const pixel = await get(`/t/o/${token}`, method);
          if (
            pixel.status !== pixelStatus ||
            (pixelStatus === 200 && pixel.headers.get('content-type') !== 'image/gif')
          )
            wrong.push(`${what} ${method} pixel: ${pixel.status}`);
        }
      }
      expect(wrong).toEqual([]);
      expect(await rows()).toEqual([]);
    });

    it('counts a replayed genuine click and pixel once; a legacy link of a kept key still works', async () => {
      const click = signTrackingToken([NEW], deliveryId, TARGET);
      const pixel = signTrackingToken([OLD], deliveryId);
      for (let i = 0; i < 5; i++) {
        const res = await get(`/t/c/${click}`);
        expect([res.status, res.headers.get('location')]).toEqual([302, TARGET]);
        expect((await get(`/t/o/${pixel}`)).status).toBe(200);
      }
      const payload = trackingPayload(deliveryId, TARGET);
      const legacy = await get(`/t/c/${payload}.${trackingMac(OLD.secret, payload)}`);
      expect([legacy.status, legacy.headers.get('location')]).toEqual([302, TARGET]);
      expect((await rows()).map((r) => r.type).sort()).toEqual(['clicked', 'opened']);
    });

    it('answers a genuine link of an erased customer with 404 (erasure leftovers: erasure.int-spec.ts)', async () => {
      const link = `/t/c/${signTrackingToken([NEW], deliveryId, TARGET)}`;
      const eraser = await gw.key(['customers:erase'], 'abuse-eraser');
      expect((await call('DELETE', `/v1/customers/${customerId}`, { key: eraser })).status).toBe(200);
      const res = await get(link);
      expect([res.status, res.headers.get('location')]).toEqual([404, null]);
      expect(await rows()).toEqual([]);
    });
  });

  describe("scope escalation: a key of each scope against every other scope's routes", () => {
    /** A backtest id nobody has: the routes answer 404 to a key with the scope. */
    const BACKTEST = `bt_${'0'.repeat(32)}`;
    /** Every route behind a key and the scopes it takes (admin takes all); checked against /docs/openapi.json. */
    const scoped = (): { method: string; path: string; scopes: ApiKeyScope[]; body?: unknown }[] => {
      const [event, batch, profile, exit, feedback, validate, ack, encode, decode] = bodyRoutes();
      const c = cid();
      const withBody = (r: BodyRoute, scopes: ApiKeyScope[]) => ({ ...r, scopes });
      return [
        withBody(event!, ['events:write']),
        withBody(batch!, ['events:write']),
        { method: 'POST', path: '/v1/import', scopes: ['events:import'] },
        // Ingestion adapters: without a body they answer 400 to a key with the scope.
        ...['track', 'identify', 'page', 'screen', 'group', 'alias', 'batch', 'cloudevents'].map((r) => ({
          method: 'POST',
          path: `/v1/${r}`,
          scopes: ['events:write'] as ApiKeyScope[],
        })),
        withBody(feedback!, ['feedback:write']),
        withBody(profile!, ['customers:write']),
        { method: 'GET', path: `/v1/customers/${c}`, scopes: ['customers:write', 'journeys:read'] },
        { method: 'DELETE', path: `/v1/customers/${c}`, scopes: ['customers:erase'] },
        { method: 'GET', path: `/v1/customers/${c}/journey`, scopes: ['journeys:read'] },
        withBody(exit!, ['customers:write']),
        { method: 'GET', path: '/v1/escalations', scopes: ['journeys:read'] },
        withBody(ack!, ['customers:write']),
        ...['volume', 'responses', 'attribution', 'timing', 'roi'].map((r) => ({
          method: 'GET',
          path: `/v1/reports/${r}`,
          scopes: ['reports:read'] as ApiKeyScope[],
        })),
        { method: 'GET', path: '/v1/triggers', scopes: ['journeys:read', 'reports:read'] },
        { method: 'GET', path: '/v1/studio/definitions', scopes: ['journeys:read', 'reports:read'] },
        { method: 'GET', path: '/v1/models', scopes: ['reports:read', 'journeys:read'] },
        withBody(validate!, ['journeys:read', 'reports:read']),
        withBody(encode!, ['journeys:read']),
        withBody(decode!, ['journeys:read']),
        { method: 'POST', path: '/v1/backtests', scopes: ['triggers:backtest'] },
        { method: 'GET', path: `/v1/backtests/${BACKTEST}`, scopes: ['triggers:backtest'] },
        { method: 'POST', path: `/v1/backtests/${BACKTEST}/cancel`, scopes: ['triggers:backtest'] },
        {
          method: 'GET',
          path: `/v1/backtests/${BACKTEST}/customers/${c}/trace`,
          scopes: ['triggers:backtest'],
        },
        { method: 'GET', path: `/v1/customers/${c}/journey/trace`, scopes: ['journeys:read'] },
        { method: 'POST', path: '/v1/broadcasts', scopes: ['broadcasts:write'] },
        { method: 'GET', path: '/v1/broadcasts/bc_nobody', scopes: ['broadcasts:write', 'journeys:read'] },
        { method: 'POST', path: '/v1/broadcasts/bc_nobody/cancel', scopes: ['broadcasts:write'] },
      ];
    };

    it('lists the scopes the OpenAPI document declares for every secured operation', async () => {
      const doc = await call('GET', '/docs/openapi.json');
      const declared: string[] = [];
      // Other schemes (the Segment write key) name the same scopes; the API key is the one compared.
      type Operation = { security?: Record<string, string[]>[] };
      for (const [path, ops] of Object.entries(doc.body.paths as Record<string, Record<string, Operation>>))
        for (const [method, op] of Object.entries(ops))
          for (const { apiKey } of op?.security ?? [])
            if (apiKey) declared.push(`${method.toUpperCase()} ${path} ${apiKey.join(',')}`);
      const mine = scoped().map((r) => {
        const template = r.path
          .replace(/\/v1\/customers\/[^/]+/, '/v1/customers/{customerId}')
          .replace(/escalations\/[^/]+\/ack/, 'escalations/{id}/ack')
          .replace(/backtests\/bt_[0-9a-f]+/, 'backtests/{id}')
          .replace(/broadcasts\/bc_nobody/, 'broadcasts/{id}')
          .replace(/\/customers\/[^/{]+\/trace$/, '/customers/{customerId}/trace');
        return `${r.method} ${template} ${r.scopes.join(',')}`;
      });
      // The codec endpoint is Temporal's protocol, not in the API document.
      expect(mine.filter((m) => !m.includes('/codec/')).sort()).toEqual(declared.sort());
    });

    it('answers 403 to every key without the scope, and never 401/403/5xx to one with it', async () => {
      const scopes = API_KEY_SCOPES.filter((s) => s !== 'admin');
      const keys = Object.fromEntries(
        await Promise.all(scopes.map(async (s) => [s, await gw.key([s], `abuse-${s}`)] as const)),
      );
      const wrong: string[] = [];
      for (const scope of [...scopes, 'admin' as const]) {
        const key = scope === 'admin' ? admin : keys[scope]!;
        for (const route of scoped()) {
          const raw = route.body === undefined ? undefined : JSON.stringify(route.body);
          const headers = route.path === '/v1/feedback' && raw ? feedbackSignature(FEEDBACK_SECRET, raw) : {};
          const res = await call(route.method, route.path, { key, headers, ...(raw ? { raw } : {}) });
          const allowed = scope === 'admin' || route.scopes.includes(scope);
          const ok = allowed
            ? res.status < 500 && res.status !== 401 && res.status !== 403
            : res.status === 403 && res.body?.type === 'https://kairos.dev/problems/forbidden';
          if (!ok)
            wrong.push(`${scope} ${route.method} ${route.path}: ${res.status} ${res.text.slice(0, 120)}`);
        }
      }
      expect(wrong).toEqual([]);
    });

    it('takes no key from a query string, a second token or a second Authorization header', async () => {
      const writer = await gw.key(['events:write'], 'abuse-writer');
      const attempts: [string, Record<string, string>][] = [
        [`/v1/triggers?key=${admin}`, {}],
        [`/v1/triggers?api_key=${admin}`, { authorization: `Bearer ${writer}` }],
        ['/v1/triggers', { authorization: `Bearer ${writer} ${admin}` }],
        ['/v1/triggers', { authorization: `Bearer ${writer},Bearer ${admin}` }],
        ['/v1/triggers', { authorization: `Basic ${Buffer.from(`x:${admin}`).toString('base64')}` }],
        ['/v1/triggers', { 'x-api-key': admin }],
      ];
      const got: number[] = [];
      for (const [path, headers] of attempts) got.push((await call('GET', path, { headers })).status);
      expect(got).toEqual([401, 403, 401, 401, 401, 401]);
    });
  });

  describe('provider callbacks (POST /v1/feedback) with KAIROS_FEEDBACK_SIGNING_SECRET set', () => {
    const body = () =>
      JSON.stringify({ deliveryId: `d_${randomUUID()}`, type: 'unsubscribed', at: new Date().toISOString() });
    const post = (raw: string, headers: Record<string, string>, key?: string) =>
      call('POST', '/v1/feedback', { raw, headers, ...(key ? { key } : {}) });

    it('answers 401 invalid-signature to a callback unsigned, mis-signed, replayed late or with a tampered body', async () => {
      const key = await gw.key(['feedback:write'], 'abuse-provider');
      const raw = body();
      const now = Math.floor(Date.now() / 1000);
      const cases: Record<string, [string, Record<string, string>]> = {
        unsigned: [raw, {}],
        'timestamp only': [raw, { 'x-kairos-timestamp': String(now) }],
        'other secret': [raw, feedbackSignature('not-the-provider-secret-0123456789abcdef', raw)],
        'tampered body': [raw.replace('unsubscribed', 'complained'), feedbackSignature(FEEDBACK_SECRET, raw)],
        'replayed after 10 minutes': [raw, feedbackSignature(FEEDBACK_SECRET, raw, now - 600)],
        'from the future': [raw, feedbackSignature(FEEDBACK_SECRET, raw, now + 600)],
        'malformed signature': [
          raw,
          { 'x-kairos-timestamp': String(now), 'x-kairos-signature': 'sha256=zz' },
        ],
        'huge timestamp': [
          raw,
          { ...feedbackSignature(FEEDBACK_SECRET, raw), 'x-kairos-timestamp': '1e400' },
        ],
      };
      const got: Record<string, [number, string]> = {};
      for (const [what, [sent, headers]] of Object.entries(cases)) {
        const res = await post(sent, headers, key);
        got[what] = [res.status, res.body?.type];
      }
      const refused: [number, string] = [401, 'https://kairos.dev/problems/invalid-signature'];
      expect(got).toEqual(Object.fromEntries(Object.keys(cases).map((k) => [k, refused])));
    });

    it('needs both the signature and a feedback:write key, and does not reveal which deliveries exist', async () => {
      const raw = body();
      const signed = feedbackSignature(FEEDBACK_SECRET, raw);
      expect((await post(raw, signed)).status).toBe(401);
      const writer = await gw.key(['events:write'], 'abuse-events-only');
      expect((await post(raw, signed, writer)).status).toBe(403);
      const key = await gw.key(['feedback:write'], 'abuse-provider-2');
      const first = await post(raw, signed, key);
      const replay = await post(raw, signed, key);
      expect([first.status, replay.status]).toEqual([202, 202]);
      expect(first.body).toEqual({
        deliveryId: JSON.parse(raw).deliveryId,
        type: 'unsubscribed',
        status: 'accepted',
      });
    });
  });

  it('answers no request of the suite with a 5xx', () => {
    const failures = answers.filter((a) => a.status >= 500);
    process.stdout.write(`abuse suite: ${answers.length} requests, ${failures.length} answered 5xx\n`);
    expect(failures).toEqual([]);
  });
});
