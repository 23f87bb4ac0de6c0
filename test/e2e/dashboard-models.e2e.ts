/**
 * The model panel of /dashboard in a real headless Chromium against an in-process gateway on the
 * test Postgres: the current card, the score distribution, the expected true and false
 * positives above the threshold chosen with the slider, and the measured outcome (treated vs
 * holdout conversion) of the triggers reading the score (docs/api.md §8, §12).
 */
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import {
  AttributionRepository,
  ModelScoresRepository,
  ModelVersionsRepository,
  type AttributionRow,
} from '@kairos/persistence';
import { startDashboardKit, type DashboardKit, type TriggerFolder } from '@kairos/testing';
import { testDatabaseUrl } from '../support/temporal-env';

const H = 3_600_000;
const T0 = Date.parse('2026-05-11T00:00:00Z');
const at = (hours: number) => new Date(T0 + hours * H);

/**
 * Two triggers on the model's score: `<model>-save` (goal order.completed within 7d, a quarter
 * held out) and `<model>-flag` (no conversion goal), and one that does not read it.
 */
function triggers(modelId: string): TriggerFolder {
  const trigger = (id: string, pattern: unknown, response: Record<string, unknown> = {}) => ({
    id,
    version: 1,
    pattern,
    response: { channels: { order: ['email'] }, template: 'save', ...response },
  });
  const score = { kind: 'score', model: modelId, gte: 0.7 };
  return {
    templates: { save: 'We miss you, {{ customer.id }}' },
    triggers: [
      trigger(`${modelId}-save`, score, {
        experiment: { variants: [{ id: 'now', weight: 1, delay: { type: 'none' } }], holdout: 0.25 },
        conversion: { event: { kind: 'event', name: 'order.completed' }, window: '7d' },
      }),
      trigger(`${modelId}-flag`, score),
      trigger(`${modelId}-other`, { kind: 'event', name: 'cart.updated' }),
    ],
  };
}

/** The model's current card (AUC 0.912) and three scores: two at or above 0.7, one below. */
async function seedModel(pool: Pool, modelId: string): Promise<void> {
  const card = {
    model: modelId,
    version: 1,
    holdout: { customers: 1200, baseRate: 0.15, auc: 0.912, liftAtTop10: 4.5 },
  };
  await new ModelVersionsRepository(pool).add(modelId, 1, true, () => ({ card, artifact: {} }));
  await new ModelScoresRepository(pool).write(modelId, 1, new Date(), [
    { customerId: `${modelId}-a`, value: 0.9 },
    { customerId: `${modelId}-b`, value: 0.8 },
    { customerId: `${modelId}-c`, value: 0.2 },
  ]);
  await seedOutcome(pool, modelId);
}

/**
 * `<model>-save` fired for 8 customers at 1h: s0-s3 treated (emailed at 1h), s0-s2 ordered at
 * 5h (3/4); s4-s7 held out, s4 ordered at 3h (1/4).
 */
async function seedOutcome(pool: Pool, modelId: string): Promise<void> {
  const triggerId = `${modelId}-save`;
  const log: AttributionRow[] = [];
  for (let i = 0; i < 8; i += 1) {
    const base = {
      matchId: `${modelId}-m${i}`,
      customerId: `${modelId}-s${i}`,
      triggerId,
      triggerVersion: 1,
    };
    log.push({ ...base, kind: 'fired', at: at(1) });
    if (i >= 4) log.push({ ...base, kind: 'holdout', at: at(1) });
    else {
      log.push({ ...base, kind: 'exposure', variant: 'now', at: at(1) });
      log.push({
        ...base,
        kind: 'delivered',
        channel: 'email',
        deliveryId: `${modelId}-d${i}`,
        variant: 'now',
        at: at(1),
      });
    }
  }
  await new AttributionRepository(pool).log(log);
  for (const [i, hours] of [
    [0, 5],
    [1, 5],
    [2, 5],
    [4, 3],
  ] as const)
    await pool.query(
      `INSERT INTO journey_events (customer_id, event_id, name, occurred_at, received_at, workflow_id, properties)
       VALUES ($1, $2, 'order.completed', $3, $3, $4, '{}')`,
      [`${modelId}-s${i}`, `${modelId}-o${i}`, at(hours), `customer:${modelId}-s${i}`],
    );
}

describe('dashboard model panel in headless Chromium', () => {
  let kit: DashboardKit;
  let url: string;
  let key: string;
  const modelId = `aa-panel-${randomUUID().slice(0, 6)}`;

  beforeAll(async () => {
    kit = await startDashboardKit({
      databaseUrl: testDatabaseUrl(),
      triggers: triggers(modelId),
      seed: (pool) => seedModel(pool, modelId),
    });
    url = kit.gateway.url;
    key = kit.key;
  }, 90_000);

  afterAll(() => kit?.close());

  it('shows the card and the expected true and false positives at the chosen threshold', async () => {
    const page = await kit.browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${url}/dashboard#key=${encodeURIComponent(key)}`);
    await page.waitForSelector('body[data-models-ready="true"]', { timeout: 30_000 });
    await page.selectOption('#models-select', modelId);
    const row = async (label: string) =>
      (await page.locator('#table-models tr', { hasText: label }).first().innerText()).replace(/\s+/g, ' ');
    expect(await row('holdout')).toContain('AUC 0.912');
    expect(await row('at ≥ 0.70')).toContain('2 customers');
    expect(await row('expected true positives')).toContain('1.7 (precision 85.0%)');
    expect(await row('expected false positives')).toContain('0.3');
    await page.locator('#models-threshold').fill('0.15');
    expect(await row('at ≥ 0.15')).toContain('3 customers');
    expect(errors).toEqual([]);
  });

  it('shows the conversion of the treated against the holdout for each trigger on the score', async () => {
    const page = await kit.browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const q = new URLSearchParams({ from: at(0).toISOString(), to: at(24).toISOString() });
    await page.goto(`${url}/dashboard?${q.toString()}#key=${encodeURIComponent(key)}`);
    await page.waitForSelector('body[data-ready="true"][data-models-ready="true"]', { timeout: 30_000 });
    await page.selectOption('#models-select', modelId);
    const cells = async (trigger: string) =>
      page.locator('#table-models-outcome tr', { hasText: trigger }).first().locator('td').allInnerTexts();
    // 3 of 4 treated converted, 1 of 4 held out: +50 pp; the interval is the report's (±1.96 se).
    expect(await cells(`${modelId}-save`)).toEqual([
      `${modelId}-save`,
      'order.completed within 7d',
      '25.0%',
      '8',
      '3/4 (75.0%)',
      '1/4 (25.0%)',
      '+50.0 pp (−10.0 to +110.0)',
    ]);
    expect((await cells(`${modelId}-flag`)).slice(0, 4)).toEqual([
      `${modelId}-flag`,
      'no conversion goal',
      '0.0%',
      '–',
    ]);
    expect(await page.locator('#table-models-outcome').innerText()).not.toContain(`${modelId}-other`);
    expect(errors).toEqual([]);
  });
});
