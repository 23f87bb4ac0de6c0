import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import { singleTrackingKey } from '@kairos/codec';
import { AttributionRepository, createPool, OutboxRepository } from '@kairos/persistence';
import { testDatabaseUrl } from '../../../../test/support/temporal-env';
import { tempOutbox } from '@kairos/testing';
import { createChannelActivities, type SendMessageInput } from './channel.activities';

describe('channel activities with tracking links (real Postgres)', () => {
  let pool: Pool;
  beforeAll(() => {
    pool = createPool(testDatabaseUrl());
  });
  afterAll(async () => {
    await pool.end();
  });

  const input = (channel: SendMessageInput['channel']): SendMessageInput => ({
    matchId: `m-${randomUUID()}`,
    customerId: 'c-track',
    triggerId: 'abandoned-cart',
    triggerVersion: 1,
    channel,
    templateId: 'cart',
    variant: 'now',
    bindings: {},
    profile: { customerId: 'c-track', email: 'ana@example.com', phone: '+15550100' },
    at: Date.parse('2026-03-10T12:00:00Z'),
  });
  const templates = {
    cart: '---\nsubject: Your cart\nsms: Back to your cart: https://shop.example/cart?c=1\nwebhook: {"url":"https://shop.example/cart"}\n---\n<html><body><a href="https://shop.example/cart?c=1">Open your cart</a></body></html>',
  };

  it('sends email and SMS with signed click links and an email open pixel; webhooks untouched', async () => {
    const dir = tempOutbox();
    const outbox = new OutboxRepository(pool);
    const acts = createChannelActivities({
      outbox,
      // Every input here carries its profile: the store is never read.
      profiles: { get: async () => null },
      attribution: new AttributionRepository(pool),
      outboxDir: dir,
      templates: () => templates,
      transports: {},
      tracking: { publicUrl: 'https://kairos.example', keys: singleTrackingKey('kairos-test-secret-0001') },
    });
    const email = await acts.sendMessage(input('email'));
    const sms = await acts.sendMessage(input('sms'));
    const hook = await acts.sendMessage(input('webhook'));

    const emailRow = await outbox.find(email.deliveryId);
    expect(emailRow?.body).toMatch(
      /<a href="https:\/\/kairos\.example\/t\/c\/0\.[\w-]+\.[\w-]+">Open your cart<\/a>/,
    );
    expect(emailRow?.body).toMatch(
      /<img src="https:\/\/kairos\.example\/t\/o\/0\.[\w-]+\.[\w-]+"[^>]*><\/body>/,
    );
    expect(emailRow?.body).not.toContain('https://shop.example');
    const token = /\/t\/c\/0\.([\w-]+)\./.exec(emailRow!.body)![1]!;
    expect(JSON.parse(Buffer.from(token, 'base64url').toString())).toEqual({
      d: email.deliveryId,
      u: 'https://shop.example/cart?c=1',
    });
    // The outbox file holds the same (tracked) body as the row.
    const file = JSON.parse(fs.readFileSync(path.join(dir, `${email.deliveryId}.json`), 'utf8')) as {
      body: string;
    };
    expect(file.body).toBe(emailRow?.body);

    const smsRow = await outbox.find(sms.deliveryId);
    expect(smsRow?.body).toMatch(/^Back to your cart: https:\/\/kairos\.example\/t\/c\/0\.[\w-]+\.[\w-]+$/);
    expect((await outbox.find(hook.deliveryId))?.body).toBe('{"url":"https://shop.example/cart"}');
  });
});
