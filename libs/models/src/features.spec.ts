import { featureNames, type FeatureSpec } from './feature-set';
import { featuresAt } from './features';
import type { CustomerHistory, HistoryEvent } from './history';

const DAY = 86_400_000;
const T = Date.parse('2026-06-01T00:00:00Z');
const spec: FeatureSpec = {
  names: ['session.started', 'email.opened'],
  windows: [7 * DAY, 14 * DAY],
  observation: 28 * DAY,
  valueNames: ['order.completed'],
};

function history(events: [string, number, number?][], since = T - 60 * DAY): CustomerHistory {
  const list: HistoryEvent[] = events
    .map(([name, daysBefore, value]) => ({
      name,
      at: T - daysBefore * DAY,
      ...(value === undefined ? {} : { value }),
    }))
    .sort((a, b) => a.at - b.at);
  return { customerId: 'c1', since, events: list };
}

function named(h: CustomerHistory, at = T): Record<string, number> {
  const v = featuresAt(h, at, spec);
  return Object.fromEntries(featureNames(spec).map((n, i) => [n, v[i]!]));
}

describe('featuresAt', () => {
  it('counts per name and window, recency, trend, gaps, values, engagement and tenure', () => {
    const f = named(
      history([
        ['session.started', 1],
        ['session.started', 3],
        ['session.started', 10],
        ['email.delivered', 9],
        ['email.opened', 8.5],
        ['email.delivered', 2],
        ['order.completed', 5, 40],
        ['session.started', 40], // outside the 28-day observation window
      ]),
    );
    expect(f['count:session.started:7d']).toBeCloseTo(Math.log1p(2));
    expect(f['count:session.started:14d']).toBeCloseTo(Math.log1p(3));
    expect(f['days_since:session.started']).toBeCloseTo(1);
    expect(f['trend:session.started']).toBeCloseTo(Math.log1p(2) - Math.log1p(1));
    expect(f['days_since:email.opened']).toBeCloseTo(8.5);
    expect(f['count:*:14d']).toBeCloseTo(Math.log1p(7));
    expect(f['mean_gap_days:*']).toBeCloseTo((10 - 1) / 6);
    expect(f['value:order.completed:7d']).toBeCloseTo(Math.log1p(40));
    expect(f['open_rate']).toBeCloseTo(0.5);
    expect(f['tenure_days']).toBe(28); // capped at the observation window
  });

  it('gives a customer without events the observation window as recency and gap', () => {
    const f = named(history([]));
    expect(f['days_since:*']).toBe(28);
    expect(f['mean_gap_days:*']).toBe(28);
    expect(f['count:*:7d']).toBe(0);
  });

  it('reads nothing at or after the cutoff: the future cannot leak into features', () => {
    const past: [string, number][] = [
      ['session.started', 2],
      ['email.opened', 6],
    ];
    const before = featuresAt(history(past), T, spec);
    const future: [string, number, number?][] = [
      ['session.started', 0], // exactly at the cutoff
      ['session.started', -1],
      ['email.opened', -3],
      ['order.completed', -2, 999],
    ];
    const after = featuresAt(history([...past, ...future]), T, spec);
    expect(Array.from(after)).toEqual(Array.from(before));
  });

  it('has one value per feature name', () => {
    expect(featuresAt(history([['session.started', 1]]), T, spec)).toHaveLength(featureNames(spec).length);
  });
});
