import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { feedbackSignal, type FeedbackSignal } from '@kairos/contracts';
import { AttributionRepository, createPool, OutboxRepository } from '@kairos/persistence';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../test/support/temporal-env';
import type { RawTrigger } from './activities';
import { Customer, KIT_TRIGGERS, kitDefinitions, startKitWorker, tempOutbox } from '@kairos/testing';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const hh = (hour: number): string => `${String(((hour % 24) + 24) % 24).padStart(2, '0')}:00`;

/** `optimal` delay: within 2 days, or within 1 hour (so a learned hour further away falls back). */
function optimalTrigger(id: string, within: string, fallback: string): RawTrigger {
  return {
    id,
    version: 1,
    pattern: { kind: 'event', name: `${id}.ev`, as: 'ev' },
    priority: 1,
    response: {
      delay: { type: 'optimal', fallback, within },
      channels: { order: ['email'] },
      template: 'plain',
    },
  };
}

describe('journey channel fallback and optimal timing (time-skipping server, real Postgres)', () => {
  let env: TestWorkflowEnvironment;
  let pool: Pool;
  let outbox: OutboxRepository;
  let attribution: AttributionRepository;
  let worker: Awaited<ReturnType<typeof startKitWorker>>;
  const taskQueue = `journey-timing-${randomUUID()}`;
  // Hours relative to the test server's clock at start, so the test holds at any time of day.
  let learned = 0;
  let fallback = 0;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    pool = createPool(testDatabaseUrl());
    outbox = new OutboxRepository(pool);
    attribution = new AttributionRepository(pool);
    const hourNow = new Date(await env.currentTimeMs()).getUTCHours();
    learned = (hourNow + 5) % 24;
    fallback = (hourNow + 11) % 24;
    worker = await startKitWorker(env.nativeConnection, pool, taskQueue, {
      outboxDir: tempOutbox(),
      definitions: kitDefinitions({
        triggers: [
          ...KIT_TRIGGERS,
          optimalTrigger('best-hour', '2d', hh(fallback)),
          optimalTrigger('best-hour-soon', '1h', hh(fallback)),
        ],
      }),
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await pool?.end();
    await env?.teardown();
  });

  const customer = (): Customer =>
    new Customer(env.client, taskQueue, `c-${randomUUID().slice(0, 8)}`, () => env.currentTimeMs(), pool);
  const sends = async (c: Customer): Promise<string[]> =>
    (await outbox.listForCustomer(c.id)).map((r) => `${r.triggerId}:${r.channel}`);

  /** The abandoned cart of the kit: email after 2 h, then push 4 h later unless engaged. */
  async function emailSentForCart(c: Customer): Promise<void> {
    await c.send('cart.updated', { cart_id: 'k1' });
    await c.until((v) => v.partialMatches.length === 1, 'partial match');
    await env.sleep(2 * HOUR + MIN);
    await waitFor(async () => (await sends(c)).length === 1, 'email');
    expect(await sends(c)).toEqual(['abandoned-cart:email']);
  }

  async function waitFor(probe: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!(await probe())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('fallback: the next channel is used after fallbackAfter when the first one is not engaged', async () => {
    const c = customer();
    await emailSentForCart(c);
    await env.sleep(3 * HOUR);
    expect(await sends(c)).toEqual(['abandoned-cart:email']);
    await env.sleep(HOUR + MIN);
    await waitFor(async () => (await sends(c)).length === 2, 'push fallback');
    expect(await sends(c)).toEqual(['abandoned-cart:email', 'abandoned-cart:push']);
    const v = await c.until((x) => x.pendingResponses.length === 0, 'done');
    expect(v.pendingResponses).toEqual([]);
  });

  it('no fallback when an opened feedback for the first channel arrives in time', async () => {
    const c = customer();
    await emailSentForCart(c);
    const [email] = await outbox.listForCustomer(c.id);
    // The email waits for engagement: the fallback is scheduled until feedback says otherwise.
    expect((await c.view()).pendingResponses).toHaveLength(1);
    await env.sleep(HOUR);
    const opened: FeedbackSignal = {
      v: 1,
      deliveryId: email!.deliveryId,
      matchId: email!.matchId,
      type: 'opened',
      at: await env.currentTimeMs(),
    };
    await c.signal(feedbackSignal, opened);
    await c.until((x) => x.pendingResponses.length === 0, 'engaged');
    await env.sleep(5 * HOUR);
    expect(await sends(c)).toEqual(['abandoned-cart:email']);
    expect((await attribution.listForCustomer(c.id)).map((a) => [a.kind, a.reason])).toContainEqual([
      'engaged',
      'opened',
    ]);
  });

  /**
   * Three past opens and clicks at `learned` o'clock (UTC, the kit profile's zone), given to an
   * idle journey: the loop handles queued feedback before events that arrive while it is busy.
   */
  async function learnHabits(c: Customer): Promise<void> {
    await c.send('warmup'); // starts the journey (an event no trigger uses)
    await c.until((v) => v.counters.events === 1, 'journey idle');
    const now = await env.currentTimeMs();
    const today = now - (now % DAY);
    for (let d = 1; d <= 3; d++) {
      const feedback: FeedbackSignal = {
        v: 1,
        deliveryId: `past-${d}`,
        matchId: `past-${d}`,
        type: d === 2 ? 'clicked' : 'opened',
        at: today - d * DAY + learned * HOUR + 7 * MIN,
      };
      await c.signal(feedbackSignal, feedback);
    }
    // Round trip through the workflow so the feedback has landed before the caller's next event.
    await c.view();
  }

  it('optimal: sends at the learned best hour of past opens and clicks', async () => {
    const c = customer();
    await learnHabits(c);
    const now = await env.currentTimeMs();
    await c.send('best-hour.ev');
    const v = await c.until((x) => x.pendingResponses.length === 1, 'scheduled');
    const runAt = Date.parse(v.pendingResponses[0]!.runAt);
    expect(new Date(runAt).getUTCHours()).toBe(learned);
    expect(new Date(runAt).getUTCMinutes()).toBe(0);
    expect(runAt).toBeGreaterThan(now);
    expect(runAt).toBeLessThan(now + DAY);
    await env.sleep(runAt - now + MIN);
    await waitFor(async () => (await sends(c)).length === 1, 'send at the learned hour');
    expect(await sends(c)).toEqual(['best-hour:email']);
  });

  it('optimal: falls back without enough history, and when the learned hour is beyond `within`', async () => {
    const fresh = customer();
    const now = await env.currentTimeMs();
    await fresh.send('best-hour.ev');
    const a = await fresh.until((x) => x.pendingResponses.length === 1, 'scheduled');
    expect(new Date(Date.parse(a.pendingResponses[0]!.runAt)).getUTCHours()).toBe(fallback);

    const habitual = customer();
    await learnHabits(habitual);
    await habitual.send('best-hour-soon.ev');
    const b = await habitual.until((x) => x.pendingResponses.length === 1, 'scheduled');
    const runAt = Date.parse(b.pendingResponses[0]!.runAt);
    expect(new Date(runAt).getUTCHours()).toBe(fallback);
    expect(runAt).toBeGreaterThan(now);
  });
});
