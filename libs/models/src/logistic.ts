import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { z } from 'zod';

/** Rows of features, row-major: row i is `x[i*p .. i*p+p)`. */
export type Design = { x: Float64Array; y: Uint8Array; n: number; p: number };

/** A fitted L2-regularised logistic regression on standardised features. */
export const LogisticSchema = z.strictObject({
  intercept: z.number(),
  coef: z.array(z.number()),
  mean: z.array(z.number()),
  scale: z.array(z.number()),
});
export type Logistic = z.infer<typeof LogisticSchema>;

function standardise(d: Design): { mean: number[]; scale: number[] } {
  const mean = new Array<number>(d.p).fill(0);
  const sq = new Array<number>(d.p).fill(0);
  for (let i = 0; i < d.n; i += 1)
    for (let j = 0; j < d.p; j += 1) {
      const v = d.x[i * d.p + j]!;
      mean[j]! += v;
      sq[j]! += v * v;
    }
  const scale = mean.map((s, j) => {
    const m = s / Math.max(1, d.n);
    mean[j] = m;
    const sd = Math.sqrt(Math.max(0, sq[j]! / Math.max(1, d.n) - m * m));
    // A constant column keeps scale 1: its standardised value is 0 and its coefficient stays 0.
    return sd > 1e-12 ? sd : 1;
  });
  return { mean, scale };
}

const sigmoid = (t: number): number => 1 / (1 + Math.exp(-t));

/** The linear predictor (log-odds) of one row. */
export function logit(m: Logistic, row: ArrayLike<number>, offset = 0): number {
  let t = m.intercept;
  for (let j = 0; j < m.coef.length; j += 1)
    t += (m.coef[j]! * (row[offset + j]! - m.mean[j]!)) / m.scale[j]!;
  return t;
}

/** The probability of one row. */
export function predict(m: Logistic, row: ArrayLike<number>, offset = 0): number {
  return sigmoid(logit(m, row, offset));
}

/** The standardised design with a leading 1 per row (the intercept), row-major, `p + 1` wide. */
function standardisedRows(d: Design, st: { mean: number[]; scale: number[] }): Float64Array {
  const q = d.p + 1;
  const z = new Float64Array(d.n * q);
  for (let i = 0; i < d.n; i += 1) {
    z[i * q] = 1;
    for (let j = 0; j < d.p; j += 1) z[i * q + j + 1] = (d.x[i * d.p + j]! - st.mean[j]!) / st.scale[j]!;
  }
  return z;
}

/** One Newton step's system: the penalised Hessian (upper triangle mirrored) and gradient. */
function newtonSystem(
  z: Float64Array,
  y: Uint8Array,
  n: number,
  q: number,
  beta: Float64Array,
  lambda: number,
) {
  const h = new Float64Array(q * q);
  const g = new Float64Array(q);
  for (let i = 0; i < n; i += 1) {
    const o = i * q;
    let t = 0;
    for (let a = 0; a < q; a += 1) t += beta[a]! * z[o + a]!;
    const pr = sigmoid(t);
    const w = Math.max(pr * (1 - pr), 1e-9);
    const r = y[i]! - pr;
    for (let a = 0; a < q; a += 1) {
      const za = z[o + a]!;
      if (za === 0) continue;
      g[a]! += r * za;
      const wa = w * za;
      const row = a * q;
      for (let b = a; b < q; b += 1) h[row + b]! += wa * z[o + b]!;
    }
  }
  // The penalty grows with the rows (l2 is per row), so its strength does not fade with more
  // data; the intercept is not penalised.
  for (let a = 1; a < q; a += 1) {
    h[a * q + a]! += lambda;
    g[a]! -= lambda * beta[a]!;
  }
  const H = new Matrix(q, q);
  for (let a = 0; a < q; a += 1)
    for (let b = a; b < q; b += 1) H.set(a, b, h[a * q + b]!).set(b, a, h[a * q + b]!);
  return { H, g: Matrix.columnVector(Array.from(g)) };
}

/**
 * Fits `P(y=1|x) = sigmoid(b0 + b·z)`, z the standardised x, by Newton-Raphson (IRLS) with an L2
 * penalty `n·l2/2 · |b|²` (n rows): each step solves the penalised normal equations by a Cholesky
 * decomposition (ml-matrix). Converges in a handful of steps on these problems.
 */
export function fitLogistic(d: Design, l2: number, maxIter = 30): Logistic {
  const st = standardise(d);
  const beta = new Float64Array(d.p + 1);
  const positives = d.y.reduce((s, v) => s + v, 0);
  const rate = Math.min(Math.max(positives / Math.max(1, d.n), 1e-6), 1 - 1e-6);
  beta[0] = Math.log(rate / (1 - rate));
  const z = standardisedRows(d, st);
  const lambda = Math.max(l2, 1e-9) * d.n;
  for (let iter = 0; iter < maxIter; iter += 1) {
    const { H, g } = newtonSystem(z, d.y, d.n, d.p + 1, beta, lambda);
    const step = new CholeskyDecomposition(H).solve(g);
    let moved = 0;
    for (let a = 0; a <= d.p; a += 1) {
      const s = step.get(a, 0);
      beta[a]! += s;
      moved = Math.max(moved, Math.abs(s));
    }
    if (!Number.isFinite(moved))
      throw new Error('logistic regression diverged: the features hold non-finite values');
    // Standardised coefficients: a step this small no longer changes a probability's 4th digit.
    if (moved < 1e-5) break;
  }
  return { intercept: beta[0], coef: Array.from(beta.subarray(1)), mean: st.mean, scale: st.scale };
}
