// The demo's learnable churn signal (docs/models.md §7), shared by `npm run demo`, the acceptance
// test and `npm run bench -- models`: customers whose weekly sessions decline and who stop
// opening emails stop coming back; a few others stop without warning (noise no model can learn).

const DAY = 86_400_000;
const WEEK = 7 * DAY;

/** A generated event, shaped for POST /v1/import. */
export type DemoHistoryEvent = { id: string; name: string; at: number; properties: Record<string, unknown> };
export type DemoCustomer = { customerId: string; since: number; events: DemoHistoryEvent[] };

export type DemoHistoryOptions = {
  customers: number;
  /** End of the history (exclusive), epoch ms. */
  end: number;
  /** Length of the history in days (default 120). */
  days?: number;
  seed?: number;
  /** Multiplies the session rate (default 1: about 150 events per customer over 120 days). */
  activity?: number;
  /** Customer id prefix (default `demo-<seed>-h`); ignored with `idOf`. */
  prefix?: string;
  /** The id of customer number `c` (the demo's own ids). */
  idOf?: (c: number) => string;
};

/** mulberry32: a small seeded generator, so a seed always gives the same history. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Fate = { rate: number; declineAt: number; stopAt: number };

function fateOf(random: () => number, since: number, end: number, activity: number): Fate {
  const rate = (1 + random() * 5) * activity;
  const span = end - since;
  // About a third of customers fade out: sessions decay over ~10 days, then stop for good.
  const declineAt = random() < 0.35 ? since + random() * span * 1.3 : Infinity;
  // A few stop at once, with nothing in their history announcing it.
  const stopAt = random() < 0.06 ? since + random() * span * 1.3 : Infinity;
  return { rate, declineAt, stopAt };
}

function rateAt(f: Fate, t: number): number {
  if (t >= f.stopAt || t >= f.declineAt + 25 * DAY) return 0;
  if (t < f.declineAt) return f.rate;
  return f.rate * Math.exp(-(t - f.declineAt) / (8 * DAY));
}

function customerEvents(
  random: () => number,
  id: string,
  since: number,
  end: number,
  activity: number,
): DemoHistoryEvent[] {
  const fate = fateOf(random, since, end, activity);
  const events: DemoHistoryEvent[] = [];
  let n = 0;
  const add = (name: string, at: number, properties: Record<string, unknown> = {}) => {
    if (at < end) events.push({ id: `${id}-h${n++}`, name, at: Math.floor(at), properties });
  };
  // Sessions: a Poisson process thinned by the current rate (per week).
  const max = fate.rate;
  for (let t = since; t < end;) {
    t += (-Math.log(1 - random()) / max) * WEEK;
    if (t >= end || random() * max > rateAt(fate, t)) continue;
    add('session.started', t);
    if (random() < 0.6) add('product.viewed', t + 60_000, { sku: `sku-${Math.floor(random() * 60)}` });
    if (random() < 0.06) add('order.completed', t + 600_000, { total: Math.round(20 + random() * 180) });
  }
  // A weekly newsletter: opened often while engaged, rarely once the decline has begun.
  for (let t = since + random() * WEEK; t < end; t += WEEK) {
    add('email.delivered', t, { campaign: 'weekly' });
    const fading = t >= fate.declineAt || t >= fate.stopAt;
    if (random() < (fading ? 0.08 : 0.55)) add('email.opened', t + 3_600_000, { campaign: 'weekly' });
  }
  return events.sort((a, b) => a.at - b.at);
}

/** Customers with `days` of history ending at `end`: sessions, views, orders, newsletters. */
export function generateChurnHistory(o: DemoHistoryOptions): DemoCustomer[] {
  const seed = o.seed ?? 1;
  const random = seededRandom(seed * 7919 + 17);
  const days = o.days ?? 120;
  const prefix = o.prefix ?? `demo-${seed}-h`;
  const out: DemoCustomer[] = [];
  for (let c = 0; c < o.customers; c += 1) {
    const customerId = o.idOf ? o.idOf(c) : `${prefix}${String(c).padStart(6, '0')}`;
    // Most customers were there from the start; the rest joined along the way.
    const since = o.end - days * DAY + (random() < 0.7 ? 0 : random() * (days - 30) * DAY);
    out.push({
      customerId,
      since: Math.floor(since),
      events: customerEvents(random, customerId, since, o.end, o.activity ?? 1),
    });
  }
  return out;
}
