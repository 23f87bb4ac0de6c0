import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { AttributionRepository, OutboxRepository } from '@kairos/persistence';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../test/support/temporal-env';
import { startDbJourneyWorker, type Customer, type DbJourneyWorker } from '@kairos/testing';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** `HH:00` of an instant in a fixed-offset zone (offset in hours east of UTC). */
const localHour = (ms: number, offsetH: number): string =>
  `${String(new Date(ms + offsetH * HOUR).getUTCHours()).padStart(2, '0')}:00`;

// The worker here has no in-memory profile source: it reads the gateway's `customers` table
// through CustomersReadRepository, and profiles are written with the gateway's own repository.
describe('customer journey with profiles from Postgres (time-skipping server, real Postgres)', () => {
  let env: TestWorkflowEnvironment;
  let kit: DbJourneyWorker;
  let outbox: OutboxRepository;
  let attribution: AttributionRepository;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    kit = await startDbJourneyWorker(env, testDatabaseUrl(), 'journey-profile', []);
    outbox = new OutboxRepository(kit.pool);
    attribution = new AttributionRepository(kit.pool);
  });

  afterAll(async () => {
    await kit?.stop();
    await env?.teardown();
  });

  const customer = (): Customer => kit.customer();
  const putProfile = (c: Customer, profile: Record<string, unknown>, signal?: boolean): Promise<void> =>
    kit.putProfile(c, profile, signal);
  const noQuiet = { start: '00:00', end: '00:00' };

  it('sends to the stored address and renders stored attributes', async () => {
    const c = customer();
    await putProfile(
      c,
      {
        email: 'ada@example.com',
        consent: { email: true },
        timezone: 'UTC',
        quietHours: noQuiet,
        attributes: { first_name: 'Ada' },
      },
      false,
    );
    await c.send('newsletter.signup');
    await c.until((v) => v.history.some((h) => h.status === 'sent'), 'send');
    const rows = await outbox.listForCustomer(c.id);
    expect(rows.map((r) => [r.triggerId, r.channel, r.recipient])).toEqual([
      ['newsletter-signup', 'email', 'ada@example.com'],
    ]);
    expect(rows[0]?.body).toContain('Hi Ada');
  });

  it('stored consent withdrawn: the same send is suppressed with reason consent', async () => {
    const c = customer();
    await putProfile(
      c,
      { email: 'bob@example.com', timezone: 'UTC', quietHours: noQuiet, consent: { email: false } },
      false,
    );
    await c.send('newsletter.signup');
    const v = await c.until((x) => x.history.length === 1, 'outcome');
    expect(v.history[0]).toMatchObject({
      triggerId: 'newsletter-signup',
      status: 'suppressed',
      reason: 'consent',
    });
    expect(await outbox.listForCustomer(c.id)).toEqual([]);
  });

  it('no consent recorded: not given by default, the send is suppressed with reason consent', async () => {
    const c = customer();
    await putProfile(c, { email: 'nobody@example.com', timezone: 'UTC', quietHours: noQuiet }, false);
    await c.send('newsletter.signup');
    const v = await c.until((x) => x.history.length === 1, 'outcome');
    expect(v.history[0]).toMatchObject({
      triggerId: 'newsletter-signup',
      status: 'suppressed',
      reason: 'consent',
    });
    expect(await outbox.listForCustomer(c.id)).toEqual([]);
  });

  it("stored time zone and quiet hours: a send due in the customer's local quiet window is deferred to its end", async () => {
    const c = customer();
    const now = await env.currentTimeMs();
    // Asia/Tokyo is UTC+9 all year; the quiet window is given in local time.
    await putProfile(
      c,
      {
        email: 'kei@example.com',
        consent: { email: true },
        timezone: 'Asia/Tokyo',
        quietHours: { start: localHour(now - HOUR, 9), end: localHour(now + 3 * HOUR, 9) },
      },
      false,
    );
    await c.send('newsletter.signup');
    const v = await c.until((x) => x.pendingResponses.length === 1 && x.counters.events === 1, 'deferred');
    const runAt = Date.parse(v.pendingResponses[0]!.runAt);
    expect(new Date(runAt).getUTCHours()).toBe(new Date(now + 3 * HOUR).getUTCHours());
    expect(runAt).toBeGreaterThan(now + 2 * HOUR);
    expect(await outbox.listForCustomer(c.id)).toEqual([]);
    await env.sleep(runAt - now + MIN);
    await c.until((x) => x.history.some((h) => h.status === 'sent'), 'send after quiet hours');
    expect((await outbox.listForCustomer(c.id)).map((r) => r.recipient)).toEqual(['kei@example.com']);
    expect((await attribution.listForCustomer(c.id)).map((a) => [a.kind, a.reason])).toContainEqual([
      'deferred',
      'quietHours',
    ]);
  });

  /** An immediate send first, so the journey has read (and cached) the profile before the delay. */
  async function withCachedProfile(c: Customer, email: string): Promise<void> {
    await putProfile(c, { email, timezone: 'UTC', quietHours: noQuiet, consent: { email: true } }, false);
    await c.send('newsletter.signup');
    await c.until(
      (v) => v.history.some((h) => h.triggerId === 'newsletter-signup' && h.status === 'sent'),
      'first send',
    );
    await c.send('trial.started');
    await c.until((v) => v.pendingResponses.length === 1, 'pending reminder');
  }

  it('profileChanged during a delay: consent revoked before it ends suppresses the send with reason consent', async () => {
    const c = customer();
    await withCachedProfile(c, 'cy@example.com');
    await env.sleep(30 * MIN);
    await putProfile(c, {
      email: 'cy@example.com',
      timezone: 'UTC',
      quietHours: noQuiet,
      consent: { email: false },
    });
    await env.sleep(30 * MIN + MIN);
    const v = await c.until((x) => x.history.some((h) => h.triggerId === 'trial-reminder'), 'outcome');
    expect(v.history.find((h) => h.triggerId === 'trial-reminder')).toMatchObject({
      status: 'suppressed',
      reason: 'consent',
    });
    expect((await outbox.listForCustomer(c.id)).map((r) => r.triggerId)).toEqual(['newsletter-signup']);
  });

  it('without the profileChanged signal the journey keeps the profile it read (the signal is what refreshes it)', async () => {
    const c = customer();
    await withCachedProfile(c, 'di@example.com');
    await env.sleep(30 * MIN);
    await putProfile(
      c,
      { email: 'di@example.com', timezone: 'UTC', quietHours: noQuiet, consent: { email: false } },
      false,
    );
    await env.sleep(30 * MIN + MIN);
    const v = await c.until((x) => x.history.some((h) => h.triggerId === 'trial-reminder'), 'outcome');
    expect(v.history.find((h) => h.triggerId === 'trial-reminder')).toMatchObject({ status: 'sent' });
    expect((await outbox.listForCustomer(c.id)).map((r) => r.triggerId).sort()).toEqual([
      'newsletter-signup',
      'trial-reminder',
    ]);
  });
});
