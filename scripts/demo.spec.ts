import { generateDay } from './demo-data';

describe('demo day generator', () => {
  const now = Date.parse('2026-11-24T06:00:00Z');

  it('is deterministic per seed and bounded to the past 24 hours', () => {
    const a = generateDay(7, 300, now);
    const b = generateDay(7, 300, now);
    expect(a).toEqual(b);
    expect(generateDay(8, 300, now).events).not.toEqual(a.events);
    expect(a.profiles).toHaveLength(300);
    const times = a.events.map((e) => Date.parse(e.occurredAt));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(now - 24 * 3_600_000);
    expect(Math.max(...times)).toBeLessThan(now);
    expect(new Set(a.events.map((e) => e.id)).size).toBe(a.events.length);
  });

  it('produces a realistic mix with orders only after a cart of the same id', () => {
    const { events } = generateDay(1, 2000, now);
    const names = new Set(events.map((e) => e.name));
    for (const n of [
      'product.viewed',
      'cart.updated',
      'order.completed',
      'pricing.viewed',
      'demo.viewed',
      'session.started',
    ])
      expect(names).toContain(n);
    expect(events.length).toBeGreaterThan(2000 * 3);
    const carts = new Map(
      events.filter((e) => e.name === 'cart.updated').map((e) => [e.properties.cart_id, e.occurredAt]),
    );
    for (const o of events.filter((e) => e.name === 'order.completed')) {
      expect(carts.get(o.properties.cart_id)! <= o.occurredAt).toBe(true);
    }
    // The evening peak is busier than the night.
    const hour = (h: number) => events.filter((e) => new Date(e.occurredAt).getUTCHours() === h).length;
    expect(hour(19)).toBeGreaterThan(hour(3) * 3);
  });
});
