import { bestHour, computeSendTime, planDelivery, type DeliveryPlanInput } from './send-plan';
import { inWindow, localDate, nextLocalTime, zonedToUtc } from './time-zone';

const H = 3_600_000;
const policy = { quietHours: { start: '21:00', end: '08:00' }, caps: { email: 2, sms: 1 }, minGap: 4 * H };
const base = (over: Partial<DeliveryPlanInput> = {}): DeliveryPlanInput => ({
  now: Date.parse('2026-03-10T12:00:00Z'),
  timezone: 'Europe/Paris',
  channels: ['email', 'sms'],
  reachable: ['email', 'sms'],
  priority: 0,
  policy,
  respectQuietHours: true,
  respectCaps: true,
  sent: [],
  ...over,
});

describe('time-zone arithmetic', () => {
  it('converts wall time to UTC across a DST change', () => {
    expect(new Date(zonedToUtc(2026, 3, 28, 9, 0, 'Europe/Paris')).toISOString()).toBe(
      '2026-03-28T08:00:00.000Z',
    );
    expect(new Date(zonedToUtc(2026, 3, 30, 9, 0, 'Europe/Paris')).toISOString()).toBe(
      '2026-03-30T07:00:00.000Z',
    );
  });
  it('finds the next local time on allowed weekdays only', () => {
    // 2026-03-10 is a Tuesday; next Saturday 10:00 in New York is 2026-03-14 14:00Z (EDT since 03-08).
    const at = nextLocalTime(Date.parse('2026-03-10T12:00:00Z'), '10:00', 'America/New_York', ['sat']);
    expect(new Date(at).toISOString()).toBe('2026-03-14T14:00:00.000Z');
  });
  it('treats quiet hours as a window wrapping midnight', () => {
    const w = { start: '21:00', end: '08:00' };
    expect(inWindow(Date.parse('2026-03-10T22:30:00Z'), w, 'UTC')).toBe(true);
    expect(inWindow(Date.parse('2026-03-10T07:59:00Z'), w, 'UTC')).toBe(true);
    expect(inWindow(Date.parse('2026-03-10T08:00:00Z'), w, 'UTC')).toBe(false);
  });
  it('dates instants in the customer zone, not UTC', () => {
    expect(localDate(Date.parse('2026-03-10T23:30:00Z'), 'Asia/Tokyo')).toBe('2026-03-11');
  });
});

describe('computeSendTime', () => {
  const now = Date.parse('2026-03-10T12:00:00Z');
  it('adds a fixed delay', () => {
    expect(computeSendTime({ now, delay: { type: 'fixed', duration: 2 * H }, engagements: [] }).runAt).toBe(
      now + 2 * H,
    );
  });
  it('uses the learned best hour when enough engagements exist', () => {
    const opens = [
      '2026-03-01T18:10:00Z',
      '2026-03-02T18:40:00Z',
      '2026-03-03T09:00:00Z',
      '2026-03-04T18:05:00Z',
    ].map(Date.parse);
    expect(bestHour(opens, 'UTC')).toBe(18);
    const r = computeSendTime({
      now,
      timezone: 'UTC',
      delay: { type: 'optimal', fallback: '10:00', within: 24 * H },
      engagements: opens,
    });
    expect(r).toMatchObject({ basis: 'learned', hour: 18, runAt: Date.parse('2026-03-10T18:00:00Z') });
  });
  it('falls back to the given hour without history', () => {
    const r = computeSendTime({
      now,
      timezone: 'UTC',
      delay: { type: 'optimal', fallback: '10:00', within: 24 * H },
      engagements: [],
    });
    expect(r).toMatchObject({ basis: 'fallback', runAt: Date.parse('2026-03-11T10:00:00Z') });
  });
});

describe('planDelivery', () => {
  it('sends on the first reachable channel', () => {
    expect(planDelivery(base({ reachable: ['sms'] }))).toMatchObject({
      action: 'send',
      channel: 'sms',
      skipped: [{ channel: 'email', reason: 'consent' }],
    });
  });
  it('drops when no channel has consent', () => {
    expect(planDelivery(base({ reachable: [] }))).toMatchObject({ action: 'drop', reason: 'consent' });
  });
  it('defers to the end of quiet hours in the customer zone', () => {
    const r = planDelivery(base({ now: Date.parse('2026-03-10T21:30:00Z') })); // 22:30 in Paris
    expect(r).toEqual({ action: 'defer', until: Date.parse('2026-03-11T07:00:00Z'), reason: 'quietHours' });
  });
  it('drops instead of deferring past the deadline', () => {
    const now = Date.parse('2026-03-10T21:30:00Z');
    expect(planDelivery(base({ now, deadline: now + H }))).toMatchObject({
      action: 'drop',
      reason: 'quietHours',
    });
  });
  it('ignores quiet hours when the response says so', () => {
    expect(
      planDelivery(base({ now: Date.parse('2026-03-10T21:30:00Z'), respectQuietHours: false })),
    ).toMatchObject({ action: 'send', channel: 'email' });
  });
  it('falls through a capped channel and drops when all are capped', () => {
    const now = Date.parse('2026-03-10T12:00:00Z');
    const sent = [
      { at: now - 10 * H, channel: 'email' as const, triggerId: 'a', priority: 0 },
      { at: now - 9 * H, channel: 'email' as const, triggerId: 'b', priority: 0 },
    ];
    expect(planDelivery(base({ sent }))).toMatchObject({ action: 'send', channel: 'sms' });
    const sms = { at: now - 8 * H, channel: 'sms' as const, triggerId: 'c', priority: 0 };
    expect(planDelivery(base({ sent: [...sent, sms] }))).toMatchObject({ action: 'drop', reason: 'cap' });
  });
  it('counts caps per calendar day in the customer zone', () => {
    // 23:30 UTC on the 9th is already the 10th in Tokyo: it counts against the 10th there.
    const now = Date.parse('2026-03-10T03:00:00Z');
    const sent = [
      { at: Date.parse('2026-03-09T23:30:00Z'), channel: 'sms' as const, triggerId: 'a', priority: 0 },
    ];
    const input = base({ now, channels: ['sms'], sent, policy: { ...policy, minGap: 0 } });
    expect(planDelivery({ ...input, timezone: 'Asia/Tokyo', respectQuietHours: false })).toMatchObject({
      action: 'drop',
      reason: 'cap',
    });
    expect(planDelivery({ ...input, timezone: 'UTC', respectQuietHours: false })).toMatchObject({
      action: 'send',
      channel: 'sms',
    });
  });
  it('holds the minimum gap unless the new message has a higher priority', () => {
    const now = Date.parse('2026-03-10T12:00:00Z');
    const sent = [{ at: now - H, channel: 'email' as const, triggerId: 'a', priority: 5 }];
    expect(planDelivery(base({ sent, priority: 5 }))).toMatchObject({ action: 'drop', reason: 'minGap' });
    expect(planDelivery(base({ sent, priority: 6 }))).toMatchObject({ action: 'send', channel: 'email' });
    expect(planDelivery(base({ sent, channels: ['webhook'], reachable: ['webhook'] }))).toMatchObject({
      action: 'send',
      channel: 'webhook',
    });
  });
});
