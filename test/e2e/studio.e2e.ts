/**
 * The /studio page in a real headless Chromium (see findChromium) against the real stack: an
 * in-process gateway and a Kairos worker on a real Temporal test server and the test Postgres,
 * with history stored through POST /v1/import. The page edits abandoned-cart's window from 2h to
 * 30m, backtests draft and loaded version over one day, draws matches per day and the
 * difference, explains a customer who did not match with a timeline, and is screenshotted to
 * .kairos/screenshots/studio.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { DEFAULT_TRIGGERS_DIR } from '@kairos/gateway';
import {
  http,
  launchHeadlessBrowser,
  startKitWorker,
  startTestGateway,
  type HeadlessBrowser,
  type RunningGateway,
} from '@kairos/testing';
import { createPool } from '@kairos/persistence';
import { loadDefinitionsFromDir } from '@kairos/worker';
import type { Pool } from 'pg';
import { createTimeSkippingEnv, testDatabaseUrl } from '../support/temporal-env';

const SCREENSHOT = path.resolve(__dirname, '..', '..', '.kairos', 'screenshots', 'studio.png');
// A day of this run's own: the backtest reads every customer of the range, and no other suite writes there.
const DAY0 = Date.UTC(2002, 0, 1) + Math.floor(Math.random() * 1000) * 86_400_000;
const DAY = new Date(DAY0).toISOString().slice(0, 10);
const NEXT_DAY = new Date(DAY0 + 86_400_000).toISOString().slice(0, 10);
const at = (hhmm: string) => `${DAY}T${hhmm}:00.000Z`;
const RUN = `st${Date.now().toString(36)}`;
const c = (name: string) => `${RUN}-${name}`;

/**
 * One day of history: `a` abandons a cart (matches at 2h and 30m), `b` orders 45 min after the
 * cart (30m only), `c` orders after 10 min (never: the why-not customer), `d` only browses, `e`
 * abandons a cart an hour before the end of the day (its 2h deadline falls after the range).
 */
function history(): string {
  const e = (customer: string, id: string, name: string, hhmm: string, properties: object = {}) =>
    JSON.stringify({
      id: `${c(customer)}-${id}`,
      customerId: c(customer),
      name,
      occurredAt: at(hhmm),
      properties,
    });
  return [
    e('a', '1', 'cart.updated', '01:00', { cart_id: 'ka', total: 80 }),
    e('b', '1', 'cart.updated', '02:00', { cart_id: 'kb', total: 40 }),
    e('b', '2', 'order.completed', '02:45', { cart_id: 'kb', total: 40 }),
    e('c', '1', 'product.viewed', '02:55', { sku: 'sku-1' }),
    e('c', '2', 'cart.updated', '03:00', { cart_id: 'kc', total: 60 }),
    e('c', '3', 'order.completed', '03:10', { cart_id: 'kc', total: 60 }),
    e('d', '1', 'product.viewed', '04:00', { sku: 'sku-2' }),
    e('e', '1', 'cart.updated', '23:00', { cart_id: 'ke', total: 20 }),
  ].join('\n');
}

describe('trigger studio in headless Chromium, on the real gateway, worker, Temporal and Postgres', () => {
  let env: TestWorkflowEnvironment;
  let gw: RunningGateway;
  let pool: Pool;
  let stopWorker: () => Promise<void>;
  let key: string;
  let browser: HeadlessBrowser | undefined;
  // One context for the file: the npm Chromium runs single-process and a second context fails.
  let context: BrowserContext;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    const taskQueue = `studio-e2e-${RUN}`;
    pool = createPool(testDatabaseUrl(), 'studio-e2e', 4);
    stopWorker = (
      await startKitWorker(env.nativeConnection, pool, taskQueue, {
        definitions: loadDefinitionsFromDir(DEFAULT_TRIGGERS_DIR),
      })
    ).stop;
    gw = await startTestGateway({
      databaseUrl: testDatabaseUrl(),
      temporalAddress: env.address,
      taskQueue,
      triggersDir: DEFAULT_TRIGGERS_DIR,
    });
    const importer = await gw.key(['events:import'], 'studio-import');
    const imported = await http(gw.url, 'POST', '/v1/import', {
      key: importer,
      raw: history(),
      contentType: 'application/x-ndjson',
    });
    expect(imported.body).toMatchObject({ imported: 8, rejected: 0 });
    key = await gw.key(['triggers:backtest', 'journeys:read'], 'studio');
    browser = await launchHeadlessBrowser({ width: 1500, height: 1100 });
    context = browser.context;
  }, 170_000);

  afterAll(async () => {
    await browser?.close();
    await gw?.close();
    await stopWorker?.();
    await pool?.end();
    await env?.teardown();
  });

  async function kpi(page: Page, name: string): Promise<[string, string]> {
    return [
      await page.locator(`[data-kpi="${name}"]`).innerText(),
      await page.locator(`[data-delta="${name}"]`).innerText(),
    ];
  }

  it('backtests a 30m draft of abandoned-cart against the loaded 2h, draws the days and a why-not timeline', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const sent: { url: string; authorization: string | undefined }[] = [];
    page.on('request', (r) => sent.push({ url: r.url(), authorization: r.headers().authorization }));

    // The key travels in the fragment, which the browser never sends to the server.
    await page.goto(`${gw.url}/studio?trigger=abandoned-cart#key=${encodeURIComponent(key)}`);
    await page.waitForSelector('body[data-ready="true"][data-valid="true"]', { timeout: 30_000 });
    expect(page.url()).not.toContain('key=');
    const loaded = await page.inputValue('#editor');
    expect(loaded).toContain('"for": "2h"');

    // Validation as you type: the schema in the browser names the field, and Run is disabled.
    await page.fill('#editor', loaded.replace('"for": "2h"', '"for": "2 hours"'));
    await page.waitForSelector('#validation li.error');
    expect(await page.locator('#validation').innerText()).toContain('pattern.steps[1].for');
    expect(await page.isDisabled('#run')).toBe(true);

    await page.fill('#editor', loaded.replace('"for": "2h"', '"for": "30m"'));
    await page.waitForSelector('body[data-valid="true"]');
    await page.fill('#from', `${DAY}T00:00`);
    await page.fill('#to', `${NEXT_DAY}T00:00`);
    await page.click('#run');
    await page.waitForSelector('body:not([data-backtest="running"])', { timeout: 60_000 });
    // On failure the page's error box says why; compare both so a failure shows it.
    expect([
      await page.getAttribute('body', 'data-backtest'),
      await page.locator('#error').innerText(),
    ]).toEqual(['done', '']);

    // a, b and e match at 30m; only a at 2h (b ordered at 45 min, e's 2h deadline is after the range).
    expect(await kpi(page, 'customers')).toEqual(['3', '+2 vs loaded (1)']);
    expect(await kpi(page, 'matches')).toEqual(['3', '+2 vs loaded (1)']);
    const chart = await page.evaluate<{ labels: string[]; data: number[][] }>(
      `(() => { const ch = Chart.getChart(document.getElementById('chart-days'));
        return { labels: ch.data.labels, data: ch.data.datasets.map((d) => d.data) }; })()`,
    );
    expect(chart).toEqual({ labels: [DAY], data: [[3], [1]] });
    expect(await page.locator('#suppressions').innerText()).toMatch(/arbitration\s+0\s+0/);
    // A string: the test compiles without DOM types; it runs in the page.
    const samples = await page.evaluate<string[][]>(
      `[...document.querySelectorAll('#samples tr[data-customer]')].map((r) => [r.dataset.customer, r.cells[5].textContent])`,
    );
    // The last column says what the loaded 2h version did for each of them.
    expect(samples.sort()).toEqual([
      [c('a'), 'matched'],
      [c('b'), 'no match'],
      [c('e'), 'no match'],
    ]);

    // A sample row opens that customer's trace: b's attempt completed and fired.
    await page.click(`#samples tr[data-customer="${c('b')}"]`);
    await page.waitForSelector('body[data-trace="done"], body[data-trace="failed"]');
    expect(await page.locator('#trace-summary').innerText()).toMatch(
      new RegExp(`^${c('b')} \\(draft\\): .*completed \\(1 fired\\)`),
    );
    expect(await page.getAttribute('#timeline line.partial', 'data-end')).toBe('completed');
    // Why the loaded version did not match b: its order came within the 2h.
    await page.selectOption('#trace-of', 'loaded');
    await page.locator('#trace-summary', { hasText: `${c('b')} (loaded version): ` }).waitFor();
    expect(await page.getAttribute('#timeline line.partial', 'data-end')).toBe('killed');
    await page.selectOption('#trace-of', 'draft');

    // Why not c: its partial match was killed by the order (a negative event), with the rule.
    await page.fill('#customer', c('c'));
    await page.click('#trace');
    // (No waitForFunction: the page's CSP forbids the eval it relies on.)
    await page.locator('#trace-summary', { hasText: `${c('c')} (draft): ` }).waitFor();
    expect(await page.getAttribute('body', 'data-trace')).toBe('done');
    expect(await page.locator('#error').innerText()).toBe('');
    expect(await page.getAttribute('#timeline', 'data-partials')).toBe('1');
    expect(await page.getAttribute('#timeline', 'data-events')).toBe('3');
    expect(await page.locator('#timeline circle.event').count()).toBe(3);
    expect(await page.getAttribute('#timeline line.partial', 'data-end')).toBe('killed');
    const entries = await page.locator('#trace-entries li').allInnerTexts();
    expect(entries[0]).toMatch(/opened by cart\.updated/);
    expect(entries.at(-1)).toMatch(
      /killed: a negative event arrived \(order\.completed .*-c-3\).*docs\/triggers\.md §/,
    );
    expect(await page.locator('#trace-summary').innerText()).toContain('killed (1 by a negative event)');

    expect(errors).toEqual([]);
    expect(sent.filter((r) => r.url.includes(key))).toEqual([]);
    const api = sent.filter((r) => new URL(r.url).pathname.startsWith('/v1/'));
    expect(api.length).toBeGreaterThan(4);
    for (const r of api) expect(r.authorization).toBe(`Bearer ${key}`);
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(30_000);
    await page.close();
  });

  it('asks for a key when it has none, and says what a refused key lacks', async () => {
    const page = await context.newPage();
    await page.goto(`${gw.url}/studio`);
    await page.evaluate('localStorage.clear()');
    await page.reload();
    await page.waitForSelector('#keyform', { state: 'visible' });
    await page.fill('#key', await gw.key(['events:write'], 'studio-writer'));
    await page.click('#keyform button[type="submit"]');
    await page.waitForSelector('body[data-error="true"]');
    expect(await page.locator('#error').innerText()).toContain('journeys:read');
    await page.close();
  });
});
