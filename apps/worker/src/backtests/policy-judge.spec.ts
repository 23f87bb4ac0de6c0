import { PolicySchema, TriggerSchema, type MatchOutput } from '@kairos/triggers';
import { policyJudge } from './policy-judge';

const HOUR = 3_600_000;
const trigger = (id: string, priority = 1) =>
  TriggerSchema.parse({
    id,
    version: 1,
    priority,
    pattern: { kind: 'event', name: 'x' },
    response: { channels: { order: ['email'] }, template: 'plain' },
  });
const match = (triggerId: string, priority = 1): MatchOutput => ({
  type: 'match',
  triggerId,
  version: 1,
  key: '',
  matchId: `${triggerId}-m`,
  kind: 'event',
  matchedAt: 0,
  bindings: {},
  eventIds: [],
  priority,
  status: 'fired',
});
// Noon UTC on a weekday: outside the default quiet hours (21:00-08:00).
const NOON = Date.UTC(2026, 10, 24, 12);

describe('policy judge (backtests with policy: true)', () => {
  const policy = PolicySchema.parse({ caps: { email: 2 }, minGap: '1h' });
  const profile = { customerId: 'c', email: 'c@example.com', timezone: 'UTC', consent: { email: true } };

  it('holds matches back by minimum gap and daily cap, as the journey would when sending', () => {
    const judge = policyJudge([trigger('a'), trigger('b', 5)], policy, profile);
    expect(judge(match('a'), NOON)).toBeNull();
    expect(judge(match('a'), NOON + 10 * 60_000)).toBe('minimumGap');
    // A strictly higher priority passes the gap, then the cap of 2 emails a day is reached.
    expect(judge(match('b', 5), NOON + 20 * 60_000)).toBeNull();
    expect(judge(match('a'), NOON + 5 * HOUR)).toBe('caps');
  });

  it('refuses without consent, and never judges a trigger without a response', () => {
    const judge = policyJudge([trigger('a'), { ...trigger('silent'), response: undefined }], policy, null);
    expect(judge(match('a'), NOON)).toBe('consent');
    expect(judge(match('silent'), NOON)).toBeNull();
  });

  it('sends a quiet-hours match at the end of the quiet hours', () => {
    const judge = policyJudge([trigger('a')], policy, profile);
    expect(judge(match('a'), Date.UTC(2026, 10, 24, 23))).toBeNull();
  });
});
