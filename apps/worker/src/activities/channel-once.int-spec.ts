import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/activity';
import { SMTPServer } from 'smtp-server';
import type { Pool } from 'pg';
import {
  AttributionRepository,
  createPool,
  OutboxRepository,
  type AttributionRow,
} from '@kairos/persistence';
import { testDatabaseUrl } from '../../../../test/support/temporal-env';
import { createHttpProvider, createSmtpTransport, type Transport } from '../delivery/transports';
import { tempOutbox } from '@kairos/testing';
import { createChannelActivities, type SendMessageInput } from './channel.activities';

/** An outbox whose first completion write fails: the worker died after the provider took the message. */
class CrashAfterSend extends OutboxRepository {
  crashes = 1;
  override async complete(...args: Parameters<OutboxRepository['complete']>): Promise<boolean> {
    if (this.crashes-- > 0) throw new Error('worker killed before the outbox row was written');
    return super.complete(...args);
  }
}

type SmtpMode = 'accept' | 'tempfail-once' | 'silent-after-data';

describe('sends at most once over SMTP, at least once with one Idempotency-Key over HTTP (real Postgres, SMTP, HTTP)', () => {
  let pool: Pool;
  let smtp: SMTPServer;
  let provider: http.Server;
  let smtpMode: SmtpMode = 'accept';
  let tempFailed = false;
  const mails: string[] = [];
  const requests: { key: string | undefined; body: string }[] = [];
  let smtpUrl = '';
  let providerUrl = '';
  const warnings: Record<string, unknown>[] = [];

  beforeAll(async () => {
    pool = createPool(testDatabaseUrl());
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo(_address, _session, cb) {
        if (smtpMode === 'tempfail-once' && !tempFailed) {
          tempFailed = true;
          return cb(Object.assign(new Error('mailbox busy, try later'), { responseCode: 451 }));
        }
        cb();
      },
      onData(stream, _session, cb) {
        let data = '';
        stream.on('data', (c: Buffer) => (data += c.toString()));
        stream.on('end', () => {
          mails.push(data);
          // The server has the message but its answer comes after the client gave up.
          if (smtpMode === 'silent-after-data') setTimeout(() => cb(), 1_000);
          else cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
    provider = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        requests.push({ key: req.headers['idempotency-key'] as string | undefined, body });
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
  beforeEach(() => {
    smtpMode = 'accept';
    tempFailed = false;
    warnings.length = 0;
  });

  const input = (channel: SendMessageInput['channel']): SendMessageInput => ({
    matchId: `m-${randomUUID()}`,
    customerId: `c-once-${randomUUID()}`,
    triggerId: 'abandoned-cart',
    triggerVersion: 1,
    channel,
    templateId: 'cart',
    variant: null,
    bindings: {
      cart: [
        { id: 'e1', name: 'cart.updated', ts: 1, receivedAt: 1, properties: { note: '<script>x</script>' } },
      ],
    },
    profile: { customerId: 'c-once', email: 'ana@example.com', phone: '+15550100' },
    at: Date.parse('2026-03-10T12:00:00Z'),
  });
  const templates = {
    cart: '---\nsubject: Your cart\nsms: Your cart is waiting\n---\n<p>Note: {{ cart.properties.note }}</p>',
  };
  const activities = (outbox: OutboxRepository, transport: Transport, channel: 'email' | 'sms') =>
    createChannelActivities({
      outbox,
      profiles: { get: async () => null },
      attribution: new AttributionRepository(pool),
      outboxDir: tempOutbox(),
      templates: () => templates,
      transports: { [channel]: transport },
      warn: (_message, meta) => warnings.push(meta),
    });
  // Counted by Message-ID, which the transport derives from the delivery id.
  const mailsFor = (deliveryId: string) =>
    mails.filter((m) => m.includes(`Message-ID: <${deliveryId}@kairos>`));
  const failureOf = async (p: Promise<unknown>): Promise<ApplicationFailure> => {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApplicationFailure);
    return err as ApplicationFailure;
  };
  const state = async (deliveryId: string) => {
    const row = await new OutboxRepository(pool).find(deliveryId);
    return { state: row?.state, attempts: row?.attempts };
  };
  const deliveredRow = async (i: SendMessageInput) =>
    (await new AttributionRepository(pool).listForCustomer(i.customerId)).find(
      (r: AttributionRow) => r.kind === 'delivered',
    );

  it('SMTP: a crash between the send and the outbox row never sends a second email', async () => {
    const outbox = new CrashAfterSend(pool);
    const acts = activities(
      outbox,
      createSmtpTransport({ url: smtpUrl, from: 'kairos@example.com' }),
      'email',
    );
    const i = input('email');
    await expect(acts.sendMessage(i)).rejects.toThrow('worker killed');
    const deliveryId = (await outbox.listForCustomer(i.customerId))[0]?.deliveryId ?? '';
    expect(await state(deliveryId)).toEqual({ state: 'sending', attempts: 1 });

    // A retry while the claim is young may race the attempt still in flight: it waits.
    const inFlight = await failureOf(acts.sendMessage(i));
    expect(inFlight).toMatchObject({ type: 'KAIROS_SEND_IN_FLIGHT', nonRetryable: false });

    // Once no attempt can still be sending, the claim is settled uncertain, not sent again.
    await pool.query(`UPDATE outbox SET claimed_at = now() - interval '10 minutes' WHERE delivery_id = $1`, [
      deliveryId,
    ]);
    const retry = await acts.sendMessage(i);
    const again = await acts.sendMessage(i);
    expect(retry).toMatchObject({ deliveryId, duplicate: true, state: 'uncertain', transport: 'smtp' });
    expect(again).toMatchObject({ deliveryId, duplicate: true, state: 'uncertain' });
    expect(mailsFor(deliveryId)).toHaveLength(1);
    expect(await state(deliveryId)).toEqual({ state: 'uncertain', attempts: 1 });
    expect(warnings).toEqual([expect.objectContaining({ deliveryId, channel: 'email' })]);
    expect((await deliveredRow(i))?.details).toEqual({ unconfirmed: true });
  });

  it('SMTP: a server that takes the message but never answers leaves it uncertain, sent once', async () => {
    smtpMode = 'silent-after-data';
    const transport = createSmtpTransport({ url: smtpUrl, from: 'kairos@example.com', deadlineMs: 300 });
    const acts = activities(new OutboxRepository(pool), transport, 'email');
    const i = input('email');
    const first = await acts.sendMessage(i);
    const retry = await acts.sendMessage(i);
    expect(first).toMatchObject({ duplicate: false, state: 'uncertain' });
    expect(retry).toMatchObject({ deliveryId: first.deliveryId, duplicate: true, state: 'uncertain' });
    expect(mailsFor(first.deliveryId)).toHaveLength(1);
  });

  it('SMTP: a refusal (451) releases the claim and the retry sends the one email', async () => {
    smtpMode = 'tempfail-once';
    const acts = activities(
      new OutboxRepository(pool),
      createSmtpTransport({ url: smtpUrl, from: 'kairos@example.com' }),
      'email',
    );
    const i = input('email');
    const refused = await failureOf(acts.sendMessage(i));
    expect(refused).toMatchObject({ type: 'KAIROS_DELIVERY_NOT_SENT', nonRetryable: false });
    const retry = await acts.sendMessage(i);
    expect(retry).toMatchObject({ duplicate: false, state: 'sent', transport: 'smtp' });
    expect(await state(retry.deliveryId)).toEqual({ state: 'sent', attempts: 2 });
    const mine = mailsFor(retry.deliveryId);
    expect(mine).toHaveLength(1);
    // An HTML template goes out as HTML, its data escaped.
    expect(mine[0]).toContain('Content-Type: text/html');
    expect(mine[0]).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect((await deliveredRow(i))?.details).toEqual({});
  });

  it('HTTP: a crash after the provider answered resends the same message with the same Idempotency-Key', async () => {
    const outbox = new CrashAfterSend(pool);
    const acts = activities(
      outbox,
      createHttpProvider({ url: providerUrl, secret: 'test-secret-0123456789' }),
      'sms',
    );
    const i = input('sms');
    await expect(acts.sendMessage(i)).rejects.toThrow('worker killed');
    const retry = await acts.sendMessage(i);
    expect(retry).toMatchObject({ duplicate: true, state: 'sent', transport: 'http' });
    const mine = requests.filter((r) => r.key === retry.deliveryId);
    expect(mine).toHaveLength(2);
    expect(mine[1]?.body).toBe(mine[0]?.body);
    expect(JSON.parse(mine[0]?.body ?? '{}')).toMatchObject({ body: 'Your cart is waiting' });
    expect(await state(retry.deliveryId)).toEqual({ state: 'sent', attempts: 1 });
    // Settled: a later retry answers from the row and calls nobody.
    await acts.sendMessage(i);
    expect(requests.filter((r) => r.key === retry.deliveryId)).toHaveLength(2);
  });
});
