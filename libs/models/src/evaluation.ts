/** Holdout figures of a scored set (docs/models.md §4). */
export type Evaluation = {
  customers: number;
  baseRate: number;
  auc: number;
  /** Positives among the top 10 % by score. */
  precisionAtTop10: number;
  /** precisionAtTop10 / baseRate. */
  liftAtTop10: number;
  /** Mean squared error of the probabilities. */
  brier: number;
  /** Mean predicted probability (equal to baseRate when calibrated). */
  meanPredicted: number;
};

/** Area under the ROC curve by ranks (Mann-Whitney), ties counted half; 0.5 without both classes. */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j += 1;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k += 1)
      if (labels[order[k]!] === 1) {
        pos += 1;
        rankSum += rank;
      }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return 0.5;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Positives among the `fraction` highest scores (at least one customer). */
export function precisionAtTop(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  fraction: number,
): number {
  const n = scores.length;
  if (n === 0) return 0;
  const k = Math.max(1, Math.round(n * fraction));
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let hits = 0;
  for (let i = 0; i < k; i += 1) hits += labels[order[i]!]!;
  return hits / k;
}

/** Every holdout figure of the card. */
export function evaluate(scores: ArrayLike<number>, labels: ArrayLike<number>): Evaluation {
  const n = scores.length;
  let pos = 0;
  let brier = 0;
  let mean = 0;
  for (let i = 0; i < n; i += 1) {
    pos += labels[i]!;
    brier += (scores[i]! - labels[i]!) ** 2;
    mean += scores[i]!;
  }
  const baseRate = n === 0 ? 0 : pos / n;
  const precision = precisionAtTop(scores, labels, 0.1);
  return {
    customers: n,
    baseRate,
    auc: auc(scores, labels),
    precisionAtTop10: precision,
    liftAtTop10: baseRate === 0 ? 0 : precision / baseRate,
    brier: n === 0 ? 0 : brier / n,
    meanPredicted: n === 0 ? 0 : mean / n,
  };
}
