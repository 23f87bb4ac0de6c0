import { seededRandom } from './demo-history';
import { fitLogistic, predict } from './logistic';

describe('fitLogistic', () => {
  const random = seededRandom(42);
  const n = 20_000;
  const x = new Float64Array(n * 2);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i += 1) {
    const a = random() * 4 - 2;
    const b = random() * 10; // a larger scale: standardisation must not matter
    x[i * 2] = a;
    x[i * 2 + 1] = b;
    const p = 1 / (1 + Math.exp(-(-1 + 1.5 * a + 0.2 * b)));
    y[i] = random() < p ? 1 : 0;
  }

  it('recovers the true log-odds with a light penalty', () => {
    const m = fitLogistic({ x, y, n, p: 2 }, 1e-6);
    const at = (a: number, b: number) => predict(m, [a, b]);
    expect(at(0, 0)).toBeCloseTo(1 / (1 + Math.exp(1)), 1);
    expect(at(1, 5)).toBeCloseTo(1 / (1 + Math.exp(-(-1 + 1.5 + 1))), 1);
  });

  it('shrinks the coefficients as the penalty grows', () => {
    const light = fitLogistic({ x, y, n, p: 2 }, 1e-6);
    const heavy = fitLogistic({ x, y, n, p: 2 }, 1);
    expect(Math.abs(heavy.coef[0]!)).toBeLessThan(Math.abs(light.coef[0]!) / 2);
  });

  it('gives a constant column no weight', () => {
    const xc = new Float64Array(n * 2);
    for (let i = 0; i < n; i += 1) {
      xc[i * 2] = x[i * 2]!;
      xc[i * 2 + 1] = 3;
    }
    expect(fitLogistic({ x: xc, y, n, p: 2 }, 0.01).coef[1]).toBeCloseTo(0, 6);
  });
});
