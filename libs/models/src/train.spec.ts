import { generateChurnHistory } from './demo-history';
import { eventReader } from './event-reader';
import type { CustomerHistory } from './history';
import { ModelDefinitionSchema } from './model.schema';
import { holdoutAuc, NotEnoughDataError, trainModel } from './train';

const DAY = 86_400_000;
const END = Date.parse('2026-11-30T00:00:00Z');
const churn = ModelDefinitionSchema.parse({
  id: 'churn',
  version: 1,
  target: { absent: { kind: 'event', name: 'session.started' }, for: '30d' },
  observation: '56d',
});

function demoHistories(customers: number, seed: number): CustomerHistory[] {
  const reader = eventReader(churn);
  return generateChurnHistory({ customers, end: END, seed }).map((c) => ({
    customerId: c.customerId,
    since: c.since,
    events: c.events.map((e) => reader.read(e.name, e.at, e.properties)),
  }));
}

describe('trainModel', () => {
  const histories = demoHistories(2000, 3);
  const trained = trainModel(churn, histories, END - 120 * DAY, END);

  it('meets the acceptance figures on demo-like data: holdout AUC >= 0.80, lift at the top decile >= 3', () => {
    expect(trained.card.holdout.auc).toBeGreaterThanOrEqual(0.8);
    expect(trained.card.holdout.liftAtTop10).toBeGreaterThanOrEqual(3);
  });

  it('calibrates: the mean probability on the holdout is near its base rate', () => {
    expect(Math.abs(trained.card.holdout.meanPredicted - trained.card.holdout.baseRate)).toBeLessThan(0.06);
  });

  it('fills the card: customers, base rates, cutoffs before the holdout, top features', () => {
    const c = trained.card;
    expect(c.train.customers).toBeGreaterThan(1000);
    expect(c.holdout.customers).toBeGreaterThan(1000);
    expect(c.train.baseRate).toBeGreaterThan(0);
    for (const t of c.train.cutoffs)
      expect(Date.parse(t) + 30 * DAY).toBeLessThanOrEqual(Date.parse(c.holdout.cutoff));
    expect(c.topFeatures).toHaveLength(10);
    expect(c.topFeatures.map((f) => f.name)).toContain('days_since:session.started');
  });

  it('learns nothing from after the holdout cutoff: the fitted model ignores those events', () => {
    const cut = histories.map((h) => ({ ...h, events: h.events.filter((e) => e.at < trained.test) }));
    const again = trainModel(churn, cut, END - 120 * DAY, END);
    expect(again.artifact).toEqual(trained.artifact);
  });

  it('measures another version on the same holdout customers', () => {
    expect(holdoutAuc(trained.artifact, churn, histories, trained.test)).toBeCloseTo(
      trained.card.holdout.auc,
      10,
    );
  });

  it('refuses a history too short for a time split, naming how long it must be', () => {
    expect(() => trainModel(churn, histories, END - 60 * DAY, END)).toThrow(NotEnoughDataError);
    expect(() => trainModel(churn, histories, END - 60 * DAY, END)).toThrow(/needs about 88 days/);
  });
});
