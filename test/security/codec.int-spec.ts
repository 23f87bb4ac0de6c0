import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { EncryptionCodec, payloadsFromJson, type EncryptionKey } from '@kairos/codec';
import { customerWorkflowId } from '@kairos/contracts';
import { createPool, JourneyEventsRepository } from '@kairos/persistence';
import { createGateway, createGatewayLogger } from '../../apps/gateway/src/app';
import { loadGatewayConfig } from '../../apps/gateway/src/config';
import { startTestGateway, type RunningGateway, http } from '@kairos/testing';
import { createKairosWorker } from '../../apps/worker/src/worker';
import { createTimeSkippingEnv, testDatabaseUrl } from '../support/temporal-env';
import { waitUntil } from '../support/processes';

const SECRET_EMAIL = 'ada.lovelace+secret@example.com';
const SECRET_PROPERTY = 'card-ending-4242-very-private';

describe('payload encryption in Temporal (time-skipping server, real worker and gateway)', () => {
  let env: TestWorkflowEnvironment;
  let pool: Pool;
  let worker: Worker;
  let running: Promise<void>;
  let gw: RunningGateway;
  const taskQueue = `codec-${randomUUID()}`;
  const keys: EncryptionKey[] = [{ id: 'k2', key: randomBytes(32) }];

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    pool = createPool(testDatabaseUrl());
    worker = await createKairosWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      pool,
      payloadCodec: new EncryptionCodec(keys),
    });
    running = worker.run();
    gw = await startTestGateway({
      databaseUrl: testDatabaseUrl(),
      temporalAddress: env.address,
      taskQueue,
      encryptionKeys: keys,
      codecCorsOrigins: ['http://127.0.0.1:8233'],
    });
  });

  afterAll(async () => {
    await gw?.close();
    worker?.shutdown();
    await running;
    await pool?.end();
    await env?.teardown();
  });

  it('stores only ciphertext in the history, and the codec endpoint decodes it for a journeys:read key', async () => {
    const customerId = `c-codec-${randomUUID().slice(0, 8)}`;
    const writer = await gw.key(['events:write', 'customers:write']);
    const put = await http(gw.url, 'PUT', `/v1/customers/${customerId}`, {
      key: writer,
      body: { email: SECRET_EMAIL, attributes: { note: SECRET_PROPERTY } },
    });
    expect(put.status).toBe(201);
    const sent = await http(gw.url, 'POST', '/v1/events', {
      key: writer,
      body: {
        id: 'e-secret',
        customerId,
        name: 'cart.updated',
        properties: { card: SECRET_PROPERTY, email: SECRET_EMAIL },
      },
    });
    expect(sent.status).toBe(202);
    // The worker decrypted the signal: the event reached Postgres.
    await waitUntil(
      async () =>
        (await new JourneyEventsRepository(pool).listForCustomer(customerId)).length === 1 ? true : undefined,
      20_000,
      'the event to be recorded',
    );

    const history = await env.client.workflow.getHandle(customerWorkflowId(customerId)).fetchHistory();
    const raw = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    expect(raw.includes(Buffer.from(SECRET_PROPERTY))).toBe(false);
    expect(raw.includes(Buffer.from(SECRET_EMAIL))).toBe(false);
    expect(raw.includes(Buffer.from('binary/encrypted'))).toBe(true);

    const signal = history.events?.find(
      (e) => e.workflowExecutionSignaledEventAttributes,
    )?.workflowExecutionSignaledEventAttributes;
    const payloads = signal?.input?.payloads ?? [];
    expect(payloads.length).toBeGreaterThan(0);
    const body = {
      payloads: payloads.map((p) => ({
        metadata: Object.fromEntries(
          Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
        ),
        data: Buffer.from(p.data ?? []).toString('base64'),
      })),
    };

    expect((await http(gw.url, 'POST', '/codec/decode', { body })).status).toBe(401);
    expect((await http(gw.url, 'POST', '/codec/decode', { key: writer, body })).status).toBe(403);
    const reader = await gw.key(['journeys:read']);
    const decoded = await http(gw.url, 'POST', '/codec/decode', {
      key: reader,
      body,
      headers: { origin: 'http://127.0.0.1:8233', 'x-namespace': 'default' },
    });
    expect(decoded.status).toBe(200);
    expect(decoded.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
    const values = payloadsFromJson(decoded.body).map((p) => defaultPayloadConverter.fromPayload(p));
    expect(JSON.stringify(values)).toContain(SECRET_PROPERTY);
    expect(values[0]).toMatchObject({ id: 'e-secret', customerId, properties: { card: SECRET_PROPERTY } });

    // Encode then decode round-trips through the endpoint too (the `temporal` CLI uses both).
    const encoded = await http(gw.url, 'POST', '/codec/encode', { key: reader, body: decoded.body });
    expect(encoded.status).toBe(200);
    expect(encoded.text).not.toContain(Buffer.from(SECRET_PROPERTY).toString('base64'));
  });

  it('answers the Web UI preflight from an allowed origin without a key, and refuses garbage with 400', async () => {
    const preflight = await fetch(`${gw.url}/codec/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:8233',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-namespace',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const other = await fetch(`${gw.url}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const reader = await gw.key(['journeys:read']);
    const bad = await http(gw.url, 'POST', '/codec/decode', {
      key: reader,
      body: { payloads: [{ data: '%%%' }] },
    });
    expect(bad.status).toBe(400);
    const foreign = await new EncryptionCodec([{ id: 'k2', key: randomBytes(32) }]).encode([
      defaultPayloadConverter.toPayload('x'),
    ]);
    const wrongKey = await http(gw.url, 'POST', '/codec/decode', {
      key: reader,
      body: {
        payloads: foreign.map((p) => ({
          metadata: {
            encoding: Buffer.from(p.metadata!.encoding!).toString('base64'),
            'encryption-key-id': Buffer.from('k2').toString('base64'),
          },
          data: Buffer.from(p.data!).toString('base64'),
        })),
      },
    });
    expect(wrongKey.status).toBe(422);
    expect(wrongKey.body.detail).toMatch(/KAIROS_CODEC_DECRYPT_FAILED/);
  });
});

describe('secrets never logged', () => {
  it('keeps API keys, Authorization headers and encryption keys out of the gateway logs', async () => {
    const material = randomBytes(32).toString('base64');
    const config = loadGatewayConfig({
      DATABASE_URL: testDatabaseUrl(),
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      KAIROS_TEMPORAL_TIMEOUT_MS: '300',
      LOG_LEVEL: 'trace',
      KAIROS_ENCRYPTION_KEYS: `k1:${material}`,
      PORT: '0',
    });
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createGatewayLogger(config, sink);
    logger.info({ config, req: { headers: { authorization: 'Bearer leaked' } } }, 'a careless line');
    const app = await createGateway(config, { logger });
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const gwPool = createPool(config.databaseUrl, 'log-test', 1);
    try {
      const { ApiKeysRepository } = await import('@kairos/persistence');
      const key = (await new ApiKeysRepository(gwPool).create('log-test', ['events:write'])).key;
      // Accepted-path (Temporal down: 503), bad key, bad body: every branch writes a line.
      await http(url, 'POST', '/v1/events', { key, body: { customerId: 'c1', name: 'cart.updated' } });
      await http(url, 'POST', '/v1/events', { key: 'kairos_wrong_key_value', body: {} });
      await http(url, 'POST', '/v1/events', { key, raw: '{"bad json' });
      await http(url, 'GET', '/health/ready', { headers: { authorization: `Bearer ${key}` } });
      const text = lines.join('');
      expect(lines.length).toBeGreaterThan(3);
      expect(text).toContain('"status":503');
      expect(text).not.toContain(key);
      expect(text).not.toContain('kairos_wrong_key_value');
      expect(text).not.toContain('Bearer');
      expect(text).not.toContain(material);
      expect(text).toContain('[redacted]');
    } finally {
      await app.close();
      await gwPool.end();
    }
  });
});
