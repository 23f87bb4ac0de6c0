import { DedupeWindow } from './dedupe-window';
import { fnv1a64 } from './hash';

/** The window as first written: hex hashes in a Map, oldest first in arrays. */
class ModelWindow {
  h: string[] = [];
  at: number[] = [];
  seenSet = new Map<string, true>();
  prune(limit: number): void {
    while (this.h.length > 0 && (this.at[0] as number) <= limit) {
      this.seenSet.delete(this.h.shift() as string);
      this.at.shift();
    }
  }
  seen(id: string): boolean {
    return this.seenSet.has(fnv1a64(id));
  }
  add(id: string, a: number, capacity: number): number {
    const h = fnv1a64(id);
    this.h.push(h);
    this.at.push(a);
    this.seenSet.set(h, true);
    let evicted = 0;
    while (this.h.length > capacity) {
      this.seenSet.delete(this.h.shift() as string);
      this.at.shift();
      evicted++;
    }
    return evicted;
  }
}

function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 0x100000000;
  };
}

describe('DedupeWindow', () => {
  it('answers, evicts and saves like a map of hex hashes, across save/load', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const rnd = lcg(seed);
      const capacity = 1 + Math.floor(rnd() * 200);
      const horizon = Math.floor(rnd() * 3000);
      const model = new ModelWindow();
      let w = new DedupeWindow();
      let t = 0;
      for (let i = 0; i < 5000; i++) {
        t += Math.floor(rnd() * 40);
        const id = `e${Math.floor(rnd() * 500)}`;
        model.prune(t - horizon);
        w.prune(t - horizon);
        const dup = model.seen(id);
        expect(w.seen(id)).toBe(dup);
        if (!dup) expect(w.add(t, capacity)).toBe(model.add(id, t, capacity));
        if (i % 700 === 0) {
          const saved = w.saved();
          expect(saved).toEqual({ h: model.h, at: model.at });
          w = new DedupeWindow();
          w.load(saved.h, saved.at);
        }
      }
    }
  });

  it('keeps saved entries that are no FNV hash, and never matches them', () => {
    const w = new DedupeWindow();
    const upper = fnv1a64('x').toUpperCase();
    w.load(['not-a-hash', upper, fnv1a64('y')], [1, 2, 3]);
    expect(w.seen('x')).toBe(false);
    expect(w.seen('y')).toBe(true);
    expect(w.saved()).toEqual({ h: ['not-a-hash', upper, fnv1a64('y')], at: [1, 2, 3] });
    w.prune(2);
    expect(w.saved()).toEqual({ h: [fnv1a64('y')], at: [3] });
  });
});
