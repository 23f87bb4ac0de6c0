import type { CustomerHistory } from './history';
import { eligibleAt, labelAt } from './labels';
import type { Target } from './model.schema';

const DAY = 86_400_000;
const T = Date.parse('2026-06-01T00:00:00Z');
const churn: Target = { absent: { kind: 'event', name: 'session.started' }, for: '30d' };
const buy: Target = { event: { kind: 'event', name: 'order.completed' }, within: '14d' };

const h = (days: number[], since = T - 90 * DAY): CustomerHistory => ({
  customerId: 'c',
  since,
  events: days
    .map((d) => ({ name: 'session.started', at: T + d * DAY, target: true }))
    .sort((a, b) => a.at - b.at),
});

describe('labels', () => {
  it('labels churn 1 when no target event happens in [cutoff, cutoff + horizon)', () => {
    expect(labelAt(h([-3]), T, churn, 30 * DAY)).toBe(1);
    expect(labelAt(h([-3, 5]), T, churn, 30 * DAY)).toBe(0);
    expect(labelAt(h([-3, 0]), T, churn, 30 * DAY)).toBe(0); // at the cutoff counts as after it
    expect(labelAt(h([-3, 30]), T, churn, 30 * DAY)).toBe(1); // the horizon's end is excluded
  });

  it('labels an event target 1 when it happens within the horizon', () => {
    const orders: CustomerHistory = {
      customerId: 'c',
      since: T - 90 * DAY,
      events: [{ name: 'order.completed', at: T + 2 * DAY, target: true }],
    };
    expect(labelAt(orders, T, buy, 14 * DAY)).toBe(1);
    expect(labelAt(orders, T + 3 * DAY, buy, 14 * DAY)).toBe(0);
  });

  it('keeps only customers active in the observation window before the cutoff', () => {
    expect(eligibleAt(h([-3]), T, churn, 56 * DAY)).toBe(true);
    expect(eligibleAt(h([-60]), T, churn, 56 * DAY)).toBe(false); // already gone
    expect(eligibleAt(h([]), T, buy, 56 * DAY)).toBe(false);
  });

  it('for churn, needs the target action in the observation window', () => {
    const viewsOnly: CustomerHistory = {
      customerId: 'c',
      since: 0,
      events: [{ name: 'product.viewed', at: T - DAY }],
    };
    expect(eligibleAt(viewsOnly, T, churn, 56 * DAY)).toBe(false);
    expect(eligibleAt(viewsOnly, T, buy, 56 * DAY)).toBe(true);
  });
});
