// The demo's day of activity: profiles and events from a seeded generator (scripts/demo.ts sends them).
import { seededRandom } from '@kairos/models';

const HOUR = 3_600_000;

export type DemoEvent = {
  id: string;
  customerId: string;
  name: string;
  occurredAt: string;
  source: string;
  properties: Record<string, unknown>;
};

/** mulberry32 (shared with the churn history): the same seed gives the same day. */
const rng = seededRandom;

type Draw = { random: () => number; pick: <T>(xs: readonly T[]) => T };
type AddEvent = (at: number, name: string, properties: Record<string, unknown>) => void;

const ZONES = ['Europe/Berlin', 'Europe/London', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo'];

/** The profile of the c-th demo customer: channels, a time zone, mostly-granted consent. */
function demoProfile(customerId: string, c: number, { random, pick }: Draw): object {
  return {
    email: `${customerId}@example.com`,
    phone: `+4915${String(10_000_000 + c).slice(-8)}`,
    pushTokens: [`push-${customerId}`],
    timezone: pick(ZONES),
    locale: 'en',
    consent: { email: random() > 0.05, sms: random() > 0.6, push: random() > 0.3 },
    attributes: { first_name: pick(['Ana', 'Ben', 'Chen', 'Dara', 'Eli', 'Fatima', 'Goran', 'Hana']) },
  };
}

/** What a session started at `t` does: shopping, evaluating the product, or a single view. */
function sessionEvents(t: number, cart: string, add: AddEvent, { random, pick }: Draw): void {
  const kind = random();
  if (kind < 0.55) {
    // Shopping: views, maybe a cart, maybe an order.
    const views = 1 + Math.floor(random() * 7);
    for (let v = 0; v < views; v += 1)
      add((t += 30_000 + Math.floor(random() * 120_000)), 'product.viewed', {
        sku: `sku-${Math.floor(random() * 60)}`,
        price: Math.round(20 + random() * 280),
      });
    if (random() < 0.45) {
      const cartId = `cart-${cart}`;
      const cartTotal = Math.round(30 + random() * 270);
      add((t += 60_000), 'cart.updated', {
        cart_id: cartId,
        total: cartTotal,
        items: 1 + Math.floor(random() * 4),
      });
      if (random() < 0.35)
        add((t += 5 * 60_000 + Math.floor(random() * 90 * 60_000)), 'order.completed', {
          cart_id: cartId,
          total: cartTotal,
        });
    }
  } else if (kind < 0.8) {
    // Evaluating the product: pricing and demo pages, some signups and subscriptions.
    add((t += 60_000), 'pricing.viewed', { plan: pick(['starter', 'team', 'enterprise']) });
    if (random() < 0.5) add((t += 5 * 60_000), 'demo.viewed', { length_s: Math.round(60 + random() * 600) });
    if (random() < 0.2) add((t += 10 * 60_000), 'signup.completed', { plan: 'trial' });
    if (random() < 0.06)
      add((t += 30 * 60_000), 'subscription.started', {
        plan: pick(['team', 'enterprise']),
        mrr: pick([49, 99, 499]),
      });
  } else {
    add((t += 60_000), 'product.viewed', {
      sku: `sku-${Math.floor(random() * 60)}`,
      price: Math.round(20 + random() * 80),
    });
  }
}

/** A day of events: each customer has 1-3 sessions at hours drawn from a daily curve. */
export function generateDay(
  seed: number,
  customers: number,
  now: number,
): { profiles: [string, object][]; events: DemoEvent[] } {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const draw: Draw = { random, pick };
  // Relative traffic per hour of day (UTC): quiet nights, a lunch bump and an evening peak.
  const curve = [2, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 9, 10, 9, 8, 8, 9, 10, 12, 13, 12, 9, 6, 4];
  const total = curve.reduce((a, b) => a + b, 0);
  const hourOf = () => {
    let x = random() * total;
    for (let h = 0; h < 24; h += 1) if ((x -= curve[h]!) < 0) return h;
    return 23;
  };
  const start = now - 24 * HOUR;
  const dayStart = Math.floor(start / (24 * HOUR)) * 24 * HOUR;
  const profiles: [string, object][] = [];
  const events: DemoEvent[] = [];
  for (let c = 0; c < customers; c += 1) {
    const customerId = `demo-${seed}-${String(c).padStart(5, '0')}`;
    profiles.push([customerId, demoProfile(customerId, c, draw)]);
    let n = 0;
    const add: AddEvent = (at, name, properties) => {
      if (at >= now) return;
      events.push({
        id: `demo-${seed}-${c}-${n++}`,
        customerId,
        name,
        occurredAt: new Date(at).toISOString(),
        source: pick(['web', 'web', 'ios', 'android']),
        properties,
      });
    };
    const sessions = 1 + Math.floor(random() * 3);
    for (let s = 0; s < sessions; s += 1) {
      // The session's hour of day, on whichever of today/yesterday keeps it inside the last 24 hours.
      let t = dayStart + hourOf() * HOUR + Math.floor(random() * HOUR);
      if (t < start) t += 24 * HOUR;
      if (t >= now) t -= 24 * HOUR;
      if (t < start) continue;
      add(t, 'session.started', {});
      sessionEvents(t, `${c}-${s}`, add, draw);
    }
  }
  events.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.id.localeCompare(b.id));
  return { profiles, events };
}
