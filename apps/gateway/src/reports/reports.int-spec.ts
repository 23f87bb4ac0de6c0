import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { Trigger } from '@kairos/triggers';
import {
  AttributionRepository,
  EventVolumeRepository,
  ResponsesRepository,
  type AttributionRow,
} from '@kairos/persistence';
import { testDatabaseUrl } from '../../../../test/support/temporal-env';
import { startTestGateway, type RunningGateway, http } from '@kairos/testing';
import { ConversionGoalsService } from './conversion-goals.service';
import type { ReportsService } from './reports.service';

const H = 3_600_000;
const T0 = Date.parse('2026-01-10T00:00:00Z');
const at = (hours: number) => new Date(T0 + hours * H);

/**
 * A small data set with answers computed by hand (see the comments at each expectation).
 *
 * Trigger A (`cart`): goal order.completed within 7d, value properties.total; variants
 * now/later and a holdout. Trigger B (`winback`): same goal, no experiment.
 *   c1: A fired 1h (now), email d1 at 1h; B fired 2h, email d2 at 3h; order 100 at 5h.
 *   c2: A fired 1h (later), sms d3 at 3h; order 40 at 10h; order 999 at 9d (outside the window).
 *   c3: A fired 1h (now), email d4 at 1h; opened and clicked; no order.
 *   c6: A fired 1h (now), push d5 at 1h; its order (70) came at 0.5h, before the touch.
 *   c4, c5, c7: A fired 1h, holdout; c4 ordered 60 at 2h.
 */
describe('reports (real Postgres, known answers)', () => {
  let gw: RunningGateway;
  let key: string;
  let pool: Pool;
  const P = `r${randomUUID().slice(0, 6)}`;
  const A = `${P}-cart`;
  const B = `${P}-winback`;
  const c = (n: number) => `${P}-c${n}`;
  const range = `from=${at(0).toISOString()}&to=${at(24).toISOString()}`;

  const trigger = (id: string, experiment?: unknown) =>
    ({
      id,
      version: 1,
      response: {
        channels: { order: ['email'] },
        template: 't',
        conversion: {
          event: { kind: 'event', name: 'order.completed' },
          window: '7d',
          valuePath: 'properties.total',
        },
        ...(experiment ? { experiment } : {}),
      },
    }) as unknown as Trigger;

  beforeAll(async () => {
    gw = await startTestGateway({
      databaseUrl: testDatabaseUrl(),
      temporalAddress: '127.0.0.1:1',
      costPerMessage: { email: 0.5, sms: 2, push: 0.25 },
    });
    pool = gw.pool;
    key = await gw.key(['reports:read'], 'reports');
    gw.app.get(ConversionGoalsService).set([
      trigger(A, {
        variants: [
          { id: 'now', weight: 1, delay: { type: 'none' } },
          { id: 'later', weight: 1, delay: { type: 'fixed', duration: '2h' } },
        ],
        holdout: 0.2,
      }),
      trigger(B),
    ]);

    const log: AttributionRow[] = [];
    const match = (
      customer: number,
      triggerId: string,
      firedH: number,
      arm: { variant?: string; holdout?: boolean },
      delivery?: { id: string; channel: string; atH: number },
    ) => {
      const matchId = `${P}-m-${customer}-${triggerId}`;
      const base = { matchId, customerId: c(customer), triggerId, triggerVersion: 1 };
      log.push({ ...base, kind: 'fired', at: at(firedH) });
      if (arm.holdout) log.push({ ...base, kind: 'holdout', at: at(firedH) });
      if (arm.variant) log.push({ ...base, kind: 'exposure', variant: arm.variant, at: at(firedH) });
      if (delivery)
        log.push({
          ...base,
          kind: 'delivered',
          channel: delivery.channel,
          deliveryId: `${P}-${delivery.id}`,
          variant: arm.variant ?? null,
          at: at(delivery.atH),
        });
    };
    match(1, A, 1, { variant: 'now' }, { id: 'd1', channel: 'email', atH: 1 });
    match(1, B, 2, {}, { id: 'd2', channel: 'email', atH: 3 });
    match(2, A, 1, { variant: 'later' }, { id: 'd3', channel: 'sms', atH: 3 });
    match(3, A, 1, { variant: 'now' }, { id: 'd4', channel: 'email', atH: 1 });
    match(6, A, 1, { variant: 'now' }, { id: 'd5', channel: 'push', atH: 1 });
    for (const n of [4, 5, 7]) match(n, A, 1, { holdout: true });
    await new AttributionRepository(pool).log(log);

    const orders: [number, number, number][] = [
      [1, 5, 100],
      [2, 10, 40],
      [2, 9 * 24, 999],
      [6, 0.5, 70],
      [4, 2, 60],
    ];
    for (const [n, h, total] of orders)
      await pool.query(
        `INSERT INTO journey_events (customer_id, event_id, name, occurred_at, received_at, workflow_id, properties)
         VALUES ($1, $2, 'order.completed', $3, $3, $4, $5)`,
        [c(n), `${P}-o-${n}-${h}`, at(h), `customer:${c(n)}`, JSON.stringify({ total })],
      );

    const responses = new ResponsesRepository(pool);
    const response = (
      d: string,
      type: 'opened' | 'clicked' | 'delivered',
      customer: number,
      channel: string,
    ) =>
      responses.record({
        deliveryId: `${P}-${d}`,
        type,
        at: at(6),
        matchId: `${P}-m-${customer}-${A}`,
        customerId: c(customer),
        triggerId: A,
        channel,
        variant: 'now',
        source: 'provider',
      });
    await response('d1', 'opened', 1, 'email');
    await response('d4', 'opened', 3, 'email');
    await response('d4', 'clicked', 3, 'email');
    await response('d5', 'delivered', 6, 'push');
  });

  afterAll(async () => {
    await gw?.close();
  });

  type Reports = {
    [K in 'volume' | 'responses' | 'attribution' | 'timing' | 'roi']: Awaited<ReturnType<ReportsService[K]>>;
  };
  const get = async <K extends keyof Reports>(report: K, query: string): Promise<Reports[K]> => {
    const res = await http(gw.url, 'GET', `/v1/reports/${report}?${query}`, { key });
    expect(res.status).toBe(200);
    return res.body as Reports[K];
  };

  it('credits the conversion to the last touch by default, across triggers, inside the window only', async () => {
    const body = await get('attribution', `${range}`);
    expect(body.model).toBe('last-touch');
    const rows = body.rows.filter((r) => r.triggerId.startsWith(P));
    expect(rows).toEqual([
      // d1, d4: c1's order goes to the later winback email; c3 never ordered.
      {
        triggerId: A,
        channel: 'email',
        variant: 'now',
        deliveries: 2,
        conversions: 0,
        revenue: 0,
        conversionRate: 0,
      },
      // d5: c6's order came before the push.
      {
        triggerId: A,
        channel: 'push',
        variant: 'now',
        deliveries: 1,
        conversions: 0,
        revenue: 0,
        conversionRate: 0,
      },
      // d3: the 40 order at 10h; the 999 order at 9 days is outside the 7d window.
      {
        triggerId: A,
        channel: 'sms',
        variant: 'later',
        deliveries: 1,
        conversions: 1,
        revenue: 40,
        conversionRate: 1,
      },
      {
        triggerId: B,
        channel: 'email',
        variant: null,
        deliveries: 1,
        conversions: 1,
        revenue: 100,
        conversionRate: 1,
      },
    ]);
  });

  it('credits the first touch or splits evenly when asked', async () => {
    const first = await get('attribution', `${range}&model=first-touch`);
    const sum = (body: Reports['attribution']) =>
      Object.fromEntries(body.triggers.map((t) => [t.triggerId, [t.conversions, t.revenue]]));
    expect(sum(first)).toEqual({ [A]: [2, 140], [B]: [0, 0] });
    const linear = await get('attribution', `${range}&model=linear`);
    expect(sum(linear)).toEqual({ [A]: [1.5, 90], [B]: [0.5, 50] });
  });

  it('measures lift over the holdout, intention to treat from the match', async () => {
    const body = await get('attribution', `${range}&trigger=${A}`);
    expect(body.lift).toHaveLength(1);
    const l = body.lift[0]!;
    // Treated: c1, c2 converted of c1, c2, c3, c6 = 2/4 (revenue 100 + 40); holdout: c4 of 3 = 1/3 (60).
    expect(l.treated.matches).toBe(4);
    expect(l.treated.converted.x).toBe(2);
    expect(l.treated.revenue).toBe(140);
    expect(l.holdout?.matches).toBe(3);
    expect(l.holdout?.converted.x).toBe(1);
    expect(l.lift.relative).toBeCloseTo(0.5, 10); // (2/4) / (1/3) - 1
    expect(l.lift.difference).toBeCloseTo(1 / 6, 10);
    expect(l.incrementalRevenue).toBe(60); // 140 - 60/3 * 4
  });

  it('reports response rates per trigger, channel and variant next to the holdout comparison', async () => {
    const body = await get('responses', `${range}&trigger=${A}`);
    const email = body.rows.find((r) => r.channel === 'email');
    expect(email).toMatchObject({ deliveries: 2, opened: 2, clicked: 1, delivered: 0, bounced: 0 });
    expect(email!.openRate.rate).toBe(1);
    expect(email!.clickRate.rate).toBe(0.5);
    expect(body.rows.find((r) => r.channel === 'push')).toMatchObject({
      deliveries: 1,
      delivered: 1,
      opened: 0,
    });
    expect(body.triggers[0]!.holdout?.converted.rate).toBeCloseTo(1 / 3, 10);
  });

  it('reports timing per delay variant with Wilson intervals', async () => {
    const body = await get('timing', `${range}&trigger=${A}`);
    const arms = Object.fromEntries(body.triggers[0]!.variants.map((v) => [v.variant, v]));
    expect(Object.keys(arms).sort()).toEqual(['holdout', 'later', 'now']);
    expect(arms.now).toMatchObject({ delay: 'none', matches: 3, delivered: 3 });
    expect(arms.now!.responseRate).toMatchObject({ x: 2, n: 3 }); // c1 opened, c3 opened and clicked
    expect(arms.now!.conversionRate).toMatchObject({ x: 1, n: 3 });
    // Wilson 95% for 1/3: centre (1/3 + 0.6402)/2.2805, half-width 0.4714/... -> [0.0615, 0.7923]
    expect(arms.now!.conversionRate.low).toBeCloseTo(0.0615, 3);
    expect(arms.now!.conversionRate.high).toBeCloseTo(0.7923, 3);
    expect(arms.later).toMatchObject({ delay: 'fixed 2h', matches: 1, delivered: 1 });
    expect(arms.later!.conversionRate.rate).toBe(1);
    expect(arms.holdout).toMatchObject({ delay: null, matches: 3, delivered: 0 });
  });

  it('computes ROI from attributed revenue and the configured cost per message', async () => {
    const body = await get('roi', `${range}`);
    const rows = Object.fromEntries(
      body.triggers.filter((t) => t.triggerId.startsWith(P)).map((t) => [t.triggerId, t]),
    );
    // A: 2 emails x 0.5 + 1 push x 0.25 + 1 sms x 2 = 3.25 against 40.
    expect(rows[A]).toMatchObject({
      messages: { email: 2, push: 1, sms: 1 },
      cost: 3.25,
      revenue: 40,
      net: 36.75,
    });
    expect(rows[A]!.roi).toBeCloseTo(36.75 / 3.25, 4);
    expect(rows[A]!.incrementalRevenue).toBe(60);
    expect(rows[B]).toMatchObject({ messages: { email: 1 }, cost: 0.5, revenue: 100, roi: 199 });
  });

  it('flags an injected spike in trigger and event volume against the rolling baseline', async () => {
    const V = `${P}-vol`;
    const day = Date.parse('2026-02-01T00:00:00Z');
    const perHour = [20, 22, 19, 21, 20, 18, 22, 21, 20, 19, 21, 20, 22, 20, 19, 21, 95, 20];
    const rows: AttributionRow[] = [];
    perHour.forEach((n, h) => {
      for (let i = 0; i < n; i += 1)
        rows.push({
          matchId: `${V}-${h}-${i}`,
          customerId: `${V}-c${i}`,
          triggerId: V,
          triggerVersion: 1,
          kind: 'fired',
          at: new Date(day + h * H + i * 1000),
        });
    });
    const repo = new AttributionRepository(pool);
    for (let i = 0; i < rows.length; i += 200) await repo.log(rows.slice(i, i + 200));
    await new EventVolumeRepository(pool).add(
      perHour.map((n, h) => ({
        name: `${P}.viewed`,
        minute: new Date(day + h * H),
        status: 'accepted',
        count: n,
      })),
    );
    const from = new Date(day + 12 * H).toISOString();
    const to = new Date(day + 18 * H).toISOString();
    const body = await get('volume', `from=${from}&to=${to}&bucket=1h&trigger=${V}`);
    const series = body.triggers.find((s) => s.key === V);
    expect(series!.points.map((p) => p.count)).toEqual([22, 20, 19, 21, 95, 20]);
    expect(series!.points.map((p) => p.anomaly)).toEqual([null, null, null, null, 'spike', null]);
    expect(series!.anomalies).toBe(1);
    expect(series!.points[4]!.z).toBeGreaterThan(3);
    const events = body.events.find((s) => s.key === `${P}.viewed`);
    expect(events!.points[4]).toMatchObject({ count: 95, anomaly: 'spike' });
  });

  it('answers 400 with every failing parameter, and 401/403 without the reports:read scope', async () => {
    const bad = await http(gw.url, 'GET', '/v1/reports/volume?from=yesterday&bucket=2h&extra=1', { key });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect((bad.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
      '(body)',
      'bucket',
      'from',
    ]);
    const tooMany = await http(
      gw.url,
      'GET',
      '/v1/reports/volume?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&bucket=1m',
      { key },
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0].path).toBe('bucket');
    expect((await http(gw.url, 'GET', '/v1/reports/roi')).status).toBe(401);
    const writer = await gw.key(['events:write']);
    expect((await http(gw.url, 'GET', '/v1/reports/roi', { key: writer })).status).toBe(403);
  });
});
