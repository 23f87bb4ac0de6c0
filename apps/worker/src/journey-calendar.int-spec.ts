// Date and schedule triggers in real journeys (docs/triggers.md §3.12-§3.13), on the time-skipping
// server with real Postgres: the renewal reminder across the March DST change, a changed date,
// and a weekly schedule skipped by a recent login.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { profileChangedSignal, type JourneyView } from '@kairos/contracts';
import { AttributionRepository, OutboxRepository } from '@kairos/persistence';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../test/support/temporal-env';
import type { RawTrigger } from './activities';
import { startDbJourneyWorker, type Customer, type DbJourneyWorker } from '@kairos/testing';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const response: RawTrigger['response'] = { channels: { order: ['email'] }, template: 'plain' };
const TRIGGERS: RawTrigger[] = [
  {
    id: 'renewal-reminder',
    version: 1,
    pattern: { kind: 'date', path: 'profile.attributes.renewal_at', offset: '-7d', at: '09:00' },
    response,
  },
  {
    id: 'weekly-digest',
    version: 1,
    pattern: {
      kind: 'schedule',
      cron: '0 9 * * MON',
      unless: { kind: 'event', name: 'login', within: '7d' },
    },
    response,
  },
];

/** `YYYY-MM-DD` of an instant in Berlin. */
function berlinDate(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date(ms));
}

describe('date and schedule triggers in journeys (time-skipping server, real Postgres)', () => {
  let env: TestWorkflowEnvironment;
  let kit: DbJourneyWorker;
  let outbox: OutboxRepository;
  let attribution: AttributionRepository;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    // No in-memory profiles: the worker reads the customers table, written as PUT /v1/customers does.
    kit = await startDbJourneyWorker(env, testDatabaseUrl(), 'journey-calendar', TRIGGERS);
    outbox = new OutboxRepository(kit.pool);
    attribution = new AttributionRepository(kit.pool);
  });

  afterAll(async () => {
    await kit?.stop();
    await env?.teardown();
  });

  async function customer(attributes: Record<string, unknown> = {}): Promise<Customer> {
    const c = kit.customer();
    await putProfile(c, attributes, false);
    return c;
  }
  /** A Berlin customer with an email address and these attributes, stored as PUT /v1/customers does. */
  const putProfile = (c: Customer, attributes: Record<string, unknown>, signal = true): Promise<void> =>
    kit.putProfile(
      c,
      {
        email: `${c.id}@example.com`,
        consent: { email: true },
        timezone: 'Europe/Berlin',
        quietHours: { start: '00:00', end: '00:00' },
        attributes,
      },
      signal,
    );
  const sends = async (c: Customer, triggerId: string): Promise<string[]> =>
    (await outbox.listForCustomer(c.id)).filter((r) => r.triggerId === triggerId).map((r) => r.matchId);
  const timeTrigger = (v: JourneyView, id: string) => v.timeTriggers?.find((t) => t.triggerId === id);

  async function waitFor(probe: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!(await probe())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  /** Skips server time to just after `at` (the journey's timer fires on the way). */
  async function skipTo(at: number): Promise<void> {
    const now = await env.currentTimeMs();
    if (at > now) await env.sleep(at - now);
  }
  async function firedAt(c: Customer, triggerId: string): Promise<string[]> {
    return (await attribution.listForCustomer(c.id))
      .filter((a) => a.triggerId === triggerId && a.kind === 'fired')
      .map((a) => new Date(a.at).toISOString());
  }

  it('renewal -7d at 09:00 Europe/Berlin across the March DST change: pending instant shown, fires there, once', async () => {
    // The next March whose 24th lies more than 8 days ahead: renewal on the 31st (summer time),
    // reminder on the 24th (winter time), 09:00 local = 08:00 UTC, not 7 x 24 h before 09:00 CEST.
    const now = await env.currentTimeMs();
    let year = new Date(now).getUTCFullYear();
    if (Date.parse(`${year}-03-24T08:00:00Z`) < now + 8 * DAY) year += 1;
    const expected = Date.parse(`${year}-03-24T08:00:00Z`);
    const c = await customer({ renewal_at: `${year}-03-31` });
    await c.send('hello');
    const v = await c.until((x) => timeTrigger(x, 'renewal-reminder')?.pendingAt != null, 'armed');
    expect(timeTrigger(v, 'renewal-reminder')).toEqual({
      triggerId: 'renewal-reminder',
      kind: 'date',
      pendingAt: new Date(expected).toISOString(),
      lastAt: null,
    });
    await skipTo(expected - MIN);
    expect(await sends(c, 'renewal-reminder')).toEqual([]);
    await skipTo(expected + MIN);
    await waitFor(async () => (await sends(c, 'renewal-reminder')).length === 1, 'the reminder');
    expect(await firedAt(c, 'renewal-reminder')).toEqual([new Date(expected).toISOString()]);
    // A profile change with the same date and 30 more days: nothing fires again.
    await c.signal(profileChangedSignal, { v: 1, customerId: c.id, changedAt: await env.currentTimeMs() });
    await skipTo(expected + 30 * DAY);
    const after = await c.until((x) => timeTrigger(x, 'renewal-reminder')?.note === 'passed', 'passed');
    expect(timeTrigger(after, 'renewal-reminder')?.lastAt).toBe(new Date(expected).toISOString());
    expect(await sends(c, 'renewal-reminder')).toHaveLength(1);
  });

  it('renewal 8 days ahead; a changed date re-arms and the old instant never fires', async () => {
    const now = await env.currentTimeMs();
    const c = await customer({ renewal_at: berlinDate(now + 8 * DAY) });
    await c.send('hello');
    const first = await c.until((x) => timeTrigger(x, 'renewal-reminder')?.pendingAt != null, 'armed');
    const firstAt = Date.parse(timeTrigger(first, 'renewal-reminder')?.pendingAt as string);
    expect(berlinDate(firstAt)).toBe(berlinDate(now + DAY));
    expect(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', timeStyle: 'short' }).format(firstAt),
    ).toBe('09:00');
    await putProfile(c, { renewal_at: berlinDate(now + 20 * DAY) });
    const moved = await c.until(
      (x) => timeTrigger(x, 'renewal-reminder')?.pendingAt !== new Date(firstAt).toISOString(),
      're-armed',
    );
    const secondAt = Date.parse(timeTrigger(moved, 'renewal-reminder')?.pendingAt as string);
    expect(berlinDate(secondAt)).toBe(berlinDate(now + 13 * DAY));
    await skipTo(firstAt + HOUR);
    await c.view();
    expect(await sends(c, 'renewal-reminder')).toEqual([]);
    await skipTo(secondAt + MIN);
    await waitFor(async () => (await sends(c, 'renewal-reminder')).length === 1, 'the reminder');
    expect(await firedAt(c, 'renewal-reminder')).toEqual([new Date(secondAt).toISOString()]);
  });

  it('a weekly schedule is skipped by a login in the last 7 days, then fires; a missing date is reported', async () => {
    const c = await customer();
    await c.send('login');
    const v = await c.until((x) => timeTrigger(x, 'weekly-digest')?.pendingAt != null, 'armed');
    expect(timeTrigger(v, 'renewal-reminder')).toMatchObject({ pendingAt: null, note: 'missing' });
    const monday1 = Date.parse(timeTrigger(v, 'weekly-digest')?.pendingAt as string);
    await skipTo(monday1 + MIN);
    const skipped = await c.until((x) => x.history.some((h) => h.triggerId === 'weekly-digest'), 'skip');
    expect(skipped.history.filter((h) => h.triggerId === 'weekly-digest')).toEqual([
      expect.objectContaining({
        status: 'suppressed',
        reason: 'unless',
        at: new Date(monday1).toISOString(),
      }),
    ]);
    expect(await sends(c, 'weekly-digest')).toEqual([]);
    const next = await c.until((x) => timeTrigger(x, 'weekly-digest')?.pendingAt != null, 're-armed');
    const monday2 = Date.parse(timeTrigger(next, 'weekly-digest')?.pendingAt as string);
    expect(monday2 - monday1).toBeGreaterThanOrEqual(7 * DAY - HOUR);
    await skipTo(monday2 + MIN);
    await waitFor(async () => (await sends(c, 'weekly-digest')).length === 1, 'the digest');
    expect(await firedAt(c, 'weekly-digest')).toEqual([new Date(monday2).toISOString()]);
  });
});
