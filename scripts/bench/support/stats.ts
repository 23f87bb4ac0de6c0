/** Small statistics shared by the benchmarks. */

/** The q-quantile (0..1) of an ascending list: the element at floor(q * n), 0 when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** p50 and p99 of unsorted samples, rounded to 0.1. */
export function percentiles(samples: readonly number[]): { p50: number; p99: number; n: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: round1(quantile(sorted, 0.5)), p99: round1(quantile(sorted, 0.99)), n: sorted.length };
}

export const round1 = (x: number): number => Math.round(x * 10) / 10;

export const mean = (xs: readonly number[]): number =>
  xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
