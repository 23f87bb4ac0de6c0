import { timeSplit } from './time-split';

const DAY = 86_400_000;
const END = Date.parse('2026-06-01T00:00:00Z');

describe('timeSplit', () => {
  it('puts the holdout one horizon before the end and every training label window before it', () => {
    const s = timeSplit(END - 120 * DAY, END, 30 * DAY, 56 * DAY)!;
    expect(s.test).toBe(END - 30 * DAY);
    expect(s.train).toHaveLength(4);
    for (const t of s.train) expect(t + 30 * DAY).toBeLessThanOrEqual(s.test);
    expect([...s.train].sort((a, b) => a - b)).toEqual(s.train);
    expect(s.train[1]! - s.train[0]!).toBe(7 * DAY);
  });

  it('keeps half an observation window of history before the first training cutoff', () => {
    const s = timeSplit(END - 100 * DAY, END, 30 * DAY, 56 * DAY)!;
    for (const t of s.train) expect(t).toBeGreaterThanOrEqual(END - 100 * DAY + 28 * DAY);
  });

  it('is null when the data is too short for one training cutoff', () => {
    expect(timeSplit(END - 70 * DAY, END, 30 * DAY, 56 * DAY)).toBeNull();
  });
});
