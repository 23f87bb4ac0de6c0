import { densify, flagAnomalies, lift, wilson } from './report-math';

describe('report math', () => {
  it('computes the Wilson 95% interval of a share (known values)', () => {
    const r = wilson(10, 100);
    expect(r.rate).toBe(0.1);
    expect(r.low).toBeCloseTo(0.0552, 4);
    expect(r.high).toBeCloseTo(0.1744, 4);
    expect(wilson(0, 0)).toEqual({ n: 0, x: 0, rate: null, low: null, high: null });
    const zero = wilson(0, 20);
    expect(zero.low).toBe(0);
    expect(zero.high).toBeCloseTo(0.1611, 4);
  });

  it('computes lift of treated over holdout with a difference interval', () => {
    const l = lift({ x: 30, n: 100 }, { x: 10, n: 50 });
    expect(l.difference).toBeCloseTo(0.1, 10);
    expect(l.relative).toBeCloseTo(0.5, 10);
    // se = sqrt(.3*.7/100 + .2*.8/50) = sqrt(0.0021 + 0.0032) = 0.072801
    expect(l.low).toBeCloseTo(0.1 - 1.959964 * 0.0728011, 5);
    expect(l.high).toBeCloseTo(0.1 + 1.959964 * 0.0728011, 5);
    expect(lift({ x: 3, n: 10 }, null).relative).toBeNull();
    expect(lift({ x: 3, n: 10 }, { x: 0, n: 10 }).relative).toBeNull();
  });

  it('flags an injected spike and a drop against the rolling baseline, and nothing in steady noise', () => {
    const steady = [20, 22, 19, 21, 20, 18, 22, 21, 20, 19, 21, 20, 22, 20, 19, 21];
    expect(flagAnomalies(steady).every((p) => p.anomaly === null)).toBe(true);
    const spiked = [...steady.slice(0, 14), 95, 20];
    const flags = flagAnomalies(spiked);
    expect(flags.map((f) => f.anomaly)).toEqual([...new Array(14).fill(null), 'spike', null]);
    expect(flags[14]!.z).toBeGreaterThan(3);
    const dropped = [...steady.slice(0, 14), 0, 20];
    expect(flagAnomalies(dropped)[14]!.anomaly).toBe('drop');
  });

  it('does not flag small counts on a quiet series, nor the start of a new series', () => {
    expect(flagAnomalies([0, 0, 0, 0, 0, 0, 0, 0, 6]).map((f) => f.anomaly)).toEqual(new Array(9).fill(null));
    expect(flagAnomalies([0, 0, 50])[2]).toEqual({ baseline: null, z: null, anomaly: null });
    // A new series starts: its first buckets are not spikes; a later jump is.
    expect(flagAnomalies([0, 0, 0, 0, 0, 0, 50]).map((f) => f.anomaly)).toEqual(new Array(7).fill(null));
    expect(flagAnomalies([0, 0, 1, 0, 0, 0, 0, 0, 0, 40])[9]!.anomaly).toBe('spike');
  });

  it('fills missing buckets with zeros per key', () => {
    const t0 = Date.UTC(2026, 0, 1);
    const h = 3_600_000;
    const m = densify(
      [
        { key: 'a', bucket: new Date(t0 + h), count: 3 },
        { key: 'b', bucket: new Date(t0), count: 1 },
        { key: 'a', bucket: new Date(t0 + 9 * h), count: 5 },
      ],
      t0,
      t0 + 3 * h,
      h,
    );
    expect(Object.fromEntries(m)).toEqual({ a: [0, 3, 0], b: [1, 0, 0] });
  });
});
