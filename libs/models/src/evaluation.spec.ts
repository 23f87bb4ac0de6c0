import { auc, evaluate, precisionAtTop } from './evaluation';

describe('evaluation', () => {
  it('computes AUC by ranks, ties counted half', () => {
    expect(auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(auc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(auc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(auc([0.3, 0.7], [1, 1])).toBe(0.5); // one class only
  });

  it('computes precision and lift at the top 10 %', () => {
    const scores = Array.from({ length: 100 }, (_, i) => i / 100);
    const labels = scores.map((_, i) => (i >= 95 || i < 5 ? 1 : 0)); // base rate 10 %
    expect(precisionAtTop(scores, labels, 0.1)).toBe(0.5);
    const e = evaluate(scores, labels);
    expect(e.baseRate).toBeCloseTo(0.1);
    expect(e.liftAtTop10).toBeCloseTo(5);
    expect(e.customers).toBe(100);
  });

  it('reports the Brier score and the mean prediction', () => {
    const e = evaluate([1, 0, 0.5, 0.5], [1, 0, 1, 0]);
    expect(e.brier).toBeCloseTo(0.125);
    expect(e.meanPredicted).toBeCloseTo(0.5);
  });
});
