/**
 * The /dashboard page in a real headless Chromium (a system one when installed, else the build
 * inside the @sparticuz/chromium npm package; see findChromium), driven by playwright-core,
 * against an in-process gateway on the test Postgres: the charts render from the report JSON,
 * the figures shown are the ones seeded, and a screenshot is kept in
 * .kairos/screenshots/dashboard.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import type { BrowserContext } from 'playwright-core';
import {
  AttributionRepository,
  EventVolumeRepository,
  ResponsesRepository,
  type AttributionRow,
} from '@kairos/persistence';
import { startDashboardKit, type DashboardKit } from '@kairos/testing';
import { testDatabaseUrl } from '../support/temporal-env';

const SCREENSHOT = path.resolve(__dirname, '..', '..', '.kairos', 'screenshots', 'dashboard.png');
const H = 3_600_000;
const T0 = Date.parse('2026-03-02T00:00:00Z');
const at = (hours: number) => new Date(T0 + hours * H);

describe('dashboard in headless Chromium', () => {
  let kit: DashboardKit;
  let url: string;
  let key: string;
  let context: BrowserContext;

  beforeAll(async () => {
    kit = await startDashboardKit({
      databaseUrl: testDatabaseUrl(),
      env: { KAIROS_COST_PER_MESSAGE: '{"email":0.5,"sms":2,"push":0.25}' },
      seed,
    });
    url = kit.gateway.url;
    key = kit.key;
    context = kit.browser.context;
  }, 90_000);

  afterAll(() => kit?.close());

  it('renders every chart from the reports, shows the seeded figures, and is screenshotted', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const sent: { url: string; authorization: string | undefined }[] = [];
    page.on('request', (r) => sent.push({ url: r.url(), authorization: r.headers().authorization }));
    const q = new URLSearchParams({ from: at(0).toISOString(), to: at(24).toISOString(), bucket: '1h' });
    // The key travels in the fragment, which the browser never sends to the server.
    await page.goto(`${url}/dashboard?${q.toString()}#key=${encodeURIComponent(key)}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    await page.waitForSelector('body[data-models-ready="true"]', { timeout: 30_000 });
    expect(errors).toEqual([]);
    // The key left the address bar for localStorage; the report requests carried it in a header.
    expect(page.url()).not.toContain('key=');
    expect(page.url()).toContain('bucket=1h');
    expect(sent.filter((r) => r.url.includes(key))).toEqual([]);
    const reports = sent.filter((r) => r.url.includes('/v1/reports/'));
    expect(reports.length).toBeGreaterThan(0);
    for (const r of reports) expect(r.authorization).toBe(`Bearer ${key}`);

    // A string: the test compiles without DOM types; it runs in the page.
    const charts = await page.evaluate<
      { id: string; points: number }[]
    >(`[...document.querySelectorAll('canvas')].map((c) => {
      const chart = Chart.getChart(c);
      return { id: c.id, points: chart ? chart.data.datasets.reduce((s, d) => s + d.data.length, 0) : -1 };
    })`);
    expect(charts.map((c) => c.id)).toEqual([
      'chart-triggers',
      'chart-events',
      'chart-responses',
      'chart-lift',
      'chart-timing',
      'chart-roi',
      'chart-models',
    ]);
    for (const c of charts) expect(c.points).toBeGreaterThan(0);

    const kpi = (name: string) => page.locator(`[data-kpi="${name}"]`).innerText();
    // 12 abandoned-cart matches (2 held out) and 5 pricing-interest ones.
    expect(await kpi('fired')).toBe('17');
    // 10 cart emails + 5 pricing emails.
    expect(await kpi('messages')).toBe('15');
    // 6 of 15 opened (3 cart opens + 2 cart clicks counted as opens + 1 pricing).
    expect(await kpi('openRate')).toBe('40.0%');
    // Cart: 4 orders of 50 within 7 days of the email; pricing: one 100 subscription.
    expect(await kpi('conversions')).toBe('5');
    expect(await kpi('revenue')).toBe('300.00');
    // 15 emails x 0.5.
    expect(await kpi('cost')).toBe('7.50');
    expect(await kpi('roi')).toBe('3,900%');
    expect(await page.locator('#table-lift').innerText()).toContain('abandoned-cart');
    expect(await page.locator('#table-lift').innerText()).toMatch(/1\/2 \(50\.0%\)/);

    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(30_000);
    await page.close();
  });

  it('asks for a key when it has none, and says so when the key lacks reports:read', async () => {
    const page = await context.newPage();
    await page.goto(`${url}/dashboard`);
    await page.evaluate('localStorage.clear()');
    await page.reload();
    await page.waitForSelector('#keyform', { state: 'visible' });
    const writer = await kit.gateway.key(['events:write'], 'writer');
    await page.fill('#key', writer);
    await page.click('#keyform button[type="submit"]');
    await page.waitForSelector('body[data-error="true"]');
    expect(await page.locator('#error').innerText()).toContain('reports:read');
    await page.close();
  });
});

async function seed(pool: Pool): Promise<void> {
  const log: AttributionRow[] = [];
  const responses = new ResponsesRepository(pool);
  const orders: { customer: string; name: string; hours: number; props: Record<string, number> }[] = [];
  const opens: {
    deliveryId: string;
    matchId: string;
    customer: string;
    triggerId: string;
    type: 'opened' | 'clicked';
  }[] = [];
  for (let i = 0; i < 12; i += 1) {
    const customer = `dash-cart-${i}`;
    const matchId = `dash-m-cart-${i}`;
    const base = { matchId, customerId: customer, triggerId: 'abandoned-cart', triggerVersion: 1 };
    log.push({ ...base, kind: 'fired', at: at(1 + i) });
    if (i >= 10) {
      log.push({ ...base, kind: 'holdout', at: at(1 + i) });
      if (i === 10) orders.push({ customer, name: 'order.completed', hours: 3 + i, props: { total: 50 } });
      continue;
    }
    log.push({ ...base, kind: 'delivered', channel: 'email', deliveryId: `dash-d-cart-${i}`, at: at(1 + i) });
    if (i < 4) orders.push({ customer, name: 'order.completed', hours: 2 + i, props: { total: 50 } });
    if (i < 5)
      opens.push({
        deliveryId: `dash-d-cart-${i}`,
        matchId,
        customer,
        triggerId: 'abandoned-cart',
        type: i < 2 ? 'clicked' : 'opened',
      });
  }
  for (let i = 0; i < 5; i += 1) {
    const customer = `dash-pricing-${i}`;
    const matchId = `dash-m-pricing-${i}`;
    const base = { matchId, customerId: customer, triggerId: 'pricing-interest', triggerVersion: 1 };
    log.push({ ...base, kind: 'fired', at: at(2 + i) });
    log.push({
      ...base,
      kind: 'delivered',
      channel: 'email',
      deliveryId: `dash-d-pricing-${i}`,
      at: at(3 + i),
    });
    if (i === 0) {
      orders.push({ customer, name: 'subscription.started', hours: 10, props: { mrr: 100 } });
      opens.push({
        deliveryId: `dash-d-pricing-${i}`,
        matchId,
        customer,
        triggerId: 'pricing-interest',
        type: 'opened',
      });
    }
  }
  await new AttributionRepository(pool).log(log);
  for (const o of opens)
    await responses.record({
      deliveryId: o.deliveryId,
      type: o.type,
      at: at(20),
      matchId: o.matchId,
      customerId: o.customer,
      triggerId: o.triggerId,
      channel: 'email',
      variant: null,
      source: 'pixel',
    });
  for (const [n, o] of orders.entries())
    await pool.query(
      `INSERT INTO journey_events (customer_id, event_id, name, occurred_at, received_at, workflow_id, properties)
       VALUES ($1, $2, $3, $4, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [o.customer, `dash-e-${n}`, o.name, at(o.hours), `customer:${o.customer}`, JSON.stringify(o.props)],
    );
  await new EventVolumeRepository(pool).add(
    Array.from({ length: 24 }, (_, h) => ({
      name: h % 2 ? 'cart.updated' : 'product.viewed',
      minute: at(h),
      status: 'accepted' as const,
      count: 10 + h,
    })),
  );
}
