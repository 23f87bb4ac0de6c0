/** Pure statistics of the reports (no I/O): intervals, lift, anomaly flags. */

export type Rate = { n: number; x: number; rate: number | null; low: number | null; high: number | null };

const Z95 = 1.959963984540054;

/** The share x/n with its Wilson score 95% interval (well-behaved for small n and rates near 0 or 1). */
export function wilson(x: number, n: number, z = Z95): Rate {
  if (n <= 0) return { n, x, rate: null, low: null, high: null };
  const p = x / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { n, x, rate: p, low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

export type Lift = {
  /** Treated rate minus holdout rate, with its normal-approximation 95% interval. */
  difference: number | null;
  low: number | null;
  high: number | null;
  /** Treated rate over holdout rate, minus 1 (null when the holdout never converted). */
  relative: number | null;
};

export function lift(treated: { x: number; n: number }, holdout: { x: number; n: number } | null): Lift {
  if (!holdout || holdout.n === 0 || treated.n === 0)
    return { difference: null, low: null, high: null, relative: null };
  const pt = treated.x / treated.n;
  const ph = holdout.x / holdout.n;
  const d = pt - ph;
  const se = Math.sqrt((pt * (1 - pt)) / treated.n + (ph * (1 - ph)) / holdout.n);
  return { difference: d, low: d - Z95 * se, high: d + Z95 * se, relative: ph === 0 ? null : pt / ph - 1 };
}

export type AnomalyOptions = {
  /** How many preceding buckets form the baseline. */
  window: number;
  /** |z| above which a bucket is flagged. */
  threshold: number;
  /** Spikes need at least this count, drops a baseline mean at least this high (noise floor). */
  minCount: number;
};

export const DEFAULT_ANOMALY: AnomalyOptions = { window: 12, threshold: 3, minCount: 10 };

export type VolumePoint = {
  at: string;
  count: number;
  baseline: number | null;
  z: number | null;
  anomaly: 'spike' | 'drop' | null;
};

/**
 * Flags unusual buckets of a count series against a rolling baseline: the mean and standard
 * deviation of the previous `window` buckets. The deviation is floored at the Poisson noise of
 * the mean (sqrt(mean), at least 1) so a flat series does not flag every small wobble.
 */
export function flagAnomalies(
  counts: readonly number[],
  options: AnomalyOptions = DEFAULT_ANOMALY,
): { baseline: number | null; z: number | null; anomaly: 'spike' | 'drop' | null }[] {
  // A series is judged only once it has existed for half a window: the first buckets of a new
  // event name or trigger are its start, not a spike.
  const first = counts.findIndex((c) => c > 0);
  return counts.map((count, i) => {
    const history = counts.slice(Math.max(0, i - options.window), i);
    if (first < 0 || i - first < Math.ceil(options.window / 2))
      return { baseline: null, z: null, anomaly: null };
    const mean = history.reduce((a, b) => a + b, 0) / history.length;
    const variance = history.reduce((a, b) => a + (b - mean) ** 2, 0) / history.length;
    const sd = Math.max(Math.sqrt(variance), Math.sqrt(mean), 1);
    const z = (count - mean) / sd;
    let anomaly: 'spike' | 'drop' | null = null;
    if (z > options.threshold && count >= options.minCount) anomaly = 'spike';
    else if (z < -options.threshold && mean >= options.minCount) anomaly = 'drop';
    return { baseline: mean, z: Math.round(z * 100) / 100, anomaly };
  });
}

/** Dense series per key over buckets [start, end) (missing buckets count 0). */
export function densify(
  cells: readonly { key: string; bucket: Date; count: number }[],
  start: number,
  end: number,
  bucketMs: number,
): Map<string, number[]> {
  const n = Math.max(0, Math.ceil((end - start) / bucketMs));
  const out = new Map<string, number[]>();
  for (const c of cells) {
    const i = Math.floor((c.bucket.getTime() - start) / bucketMs);
    if (i < 0 || i >= n) continue;
    let series = out.get(c.key);
    if (!series) out.set(c.key, (series = new Array<number>(n).fill(0)));
    series[i] = (series[i] ?? 0) + c.count;
  }
  return out;
}
