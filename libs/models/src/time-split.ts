const DAY = 86_400_000;

/** The cutoffs of a time-split evaluation (docs/models.md §3). */
export type TimeSplit = {
  /** Training cutoffs, oldest first: each label window ends at or before `test`. */
  train: number[];
  /** The holdout cutoff: its labels run to `end`. */
  test: number;
};

/**
 * Cutoffs for data in `[start, end)`: the holdout at `end - horizon`, training cutoffs one step
 * (7 days, or the horizon when shorter) apart ending at `test - horizon`, so no training label
 * sees past the holdout cutoff; each keeps at least half the observation window of history.
 * Null when the data is too short for one training cutoff.
 */
export function timeSplit(
  start: number,
  end: number,
  horizon: number,
  observation: number,
  maxTrain = 4,
): TimeSplit | null {
  const test = end - horizon;
  const step = Math.min(7 * DAY, horizon);
  const earliest = start + observation / 2;
  const train: number[] = [];
  for (let k = 0; k < maxTrain; k += 1) {
    const t = test - horizon - k * step;
    if (t < earliest) break;
    train.unshift(t);
  }
  return train.length === 0 ? null : { train, test };
}
