import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Pool } from 'pg';
import { AttributionRepository, createPool, OutboxRepository } from '@kairos/persistence';
import { testDatabaseUrl } from '../../../../test/support/temporal-env';
import { createHttpProvider, createSmtpTransport, signPayload } from '../delivery/transports';
import { tempOutbox } from '@kairos/testing';
import { createChannelActivities, type SendMessageInput } from './channel.activities';

describe('channel activities (real Postgres, real SMTP sink, real HTTP provider)', () => {
  let pool: Pool;
  let smtp: SMTPServer;
  let provider: http.Server;
  const mails: string[] = [];
  const requests: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let smtpPort = 0;
  let providerUrl = '';

  beforeAll(async () => {
    pool = createPool(testDatabaseUrl());
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, cb) {
        let data = '';
        stream.on('data', (c: Buffer) => (data += c.toString()));
        stream.on('end', () => {
          mails.push(data);
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    smtpPort = (smtp.server.address() as AddressInfo).port;
    provider = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        requests.push({ headers: req.headers, body });
        res.end('{"ok":true}');
      });
    });
    await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
    providerUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/sms`;
  });
  afterAll(async () => {
    await pool.end();
    await new Promise<void>((r) => smtp.close(() => r()));
    provider.close();
  });

  const input = (channel: SendMessageInput['channel']): SendMessageInput => ({
    matchId: `m-${randomUUID()}`,
    customerId: 'c-1',
    triggerId: 'abandoned-cart',
    triggerVersion: 1,
    channel,
    templateId: 'cart',
    variant: null,
    bindings: {
      cart: [{ id: 'e1', name: 'cart.updated', ts: 1, receivedAt: 1, properties: { cart_id: 'k9' } }],
    },
    profile: {
      customerId: 'c-1',
      email: 'ana@example.com',
      phone: '+15550100',
      attributes: { first_name: 'Ana' },
    },
    at: Date.parse('2026-03-10T12:00:00Z'),
  });
  const templates = {
    cart: '---\nsubject: Cart {{ cart.properties.cart_id }}\nsms: SMS {{ bindings.cart[0] }} for {{ profile.attributes.first_name }}\n---\nHi {{ profile.attributes.first_name }}',
  };

  it('sends email over SMTP once per match, even when the activity is retried', async () => {
    const dir = tempOutbox();
    const acts = createChannelActivities({
      outbox: new OutboxRepository(pool),
      // Every input here carries its profile: the store is never read.
      profiles: { get: async () => null },
      attribution: new AttributionRepository(pool),
      outboxDir: dir,
      templates: () => templates,
      transports: {
        email: createSmtpTransport({ url: `smtp://127.0.0.1:${smtpPort}`, from: 'kairos@example.com' }),
      },
    });
    const i = input('email');
    const first = await acts.sendMessage(i);
    const retry = await acts.sendMessage(i);
    expect(first).toMatchObject({ transport: 'smtp', duplicate: false, recipient: 'ana@example.com' });
    expect(retry).toMatchObject({ deliveryId: first.deliveryId, duplicate: true });
    const mine = mails.filter((m) => m.includes(first.deliveryId));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toContain('Subject: Cart k9');
    expect(mine[0]).toContain('Hi Ana');
    expect(JSON.parse(fs.readFileSync(`${dir}/${first.deliveryId}.json`, 'utf8'))).toMatchObject({
      subject: 'Cart k9',
      transport: 'smtp',
    });
  });

  it('sends to two customers whose events reuse the same ids (same matchId): ids are per customer', async () => {
    const acts = createChannelActivities({
      outbox: new OutboxRepository(pool),
      // Every input here carries its profile: the store is never read.
      profiles: { get: async () => null },
      attribution: new AttributionRepository(pool),
      outboxDir: tempOutbox(),
      templates: () => templates,
      transports: {},
    });
    const a = input('email');
    const b: SendMessageInput = { ...a, customerId: 'c-2', profile: { ...a.profile, customerId: 'c-2' } };
    const sentA = await acts.sendMessage(a);
    const sentB = await acts.sendMessage(b);
    expect(sentA.duplicate).toBe(false);
    expect(sentB.duplicate).toBe(false);
    expect(sentB.deliveryId).not.toBe(sentA.deliveryId);
    const rows = await pool.query('SELECT customer_id FROM outbox WHERE match_id = $1 ORDER BY customer_id', [
      a.matchId,
    ]);
    expect(rows.rows).toEqual([{ customer_id: 'c-1' }, { customer_id: 'c-2' }]);
  });

  it('posts SMS to the HTTP provider with a verifiable HMAC-SHA256 signature', async () => {
    const secret = 'test-secret-0123456789';
    const acts = createChannelActivities({
      outbox: new OutboxRepository(pool),
      // Every input here carries its profile: the store is never read.
      profiles: { get: async () => null },
      attribution: new AttributionRepository(pool),
      outboxDir: tempOutbox(),
      templates: () => templates,
      transports: { sms: createHttpProvider({ url: providerUrl, secret }) },
    });
    const r = await acts.sendMessage(input('sms'));
    const req = requests.find((x) => x.headers['idempotency-key'] === r.deliveryId);
    expect(req).toBeDefined();
    const ts = String(req?.headers['x-kairos-timestamp']);
    expect(req?.headers['x-kairos-signature']).toBe(`sha256=${signPayload(secret, ts, req?.body ?? '')}`);
    expect(JSON.parse(req?.body ?? '{}')).toMatchObject({
      channel: 'sms',
      to: '+15550100',
      body: 'SMS e1 for Ana',
    });
  });
});
