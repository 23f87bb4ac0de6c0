// The dedupe window of docs/triggers.md §3.2: hashes of recently seen event ids with their arrival
// time, oldest first. Saved as hex strings; looked up through a numeric open-addressing set so
// the per-event check hashes no strings and allocates nothing.
import { fnv1a64Pair, fnvPair, pairHex } from './hash';

/** The 32-bit value of 8 lowercase hex digits of `s` from `at`, or -1 when they are not such. */
function hexWord(s: string, at: number): number {
  let x = 0;
  for (let i = at; i < at + 8; i++) {
    const c = s.charCodeAt(i);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (d === -1) return -1;
    x = x * 16 + d;
  }
  return x;
}

/**
 * A zero-filled number array. Plain arrays, not typed ones: 10,000 engines each hold several,
 * and a typed array costs an ArrayBuffer to create and to collect.
 */
function zeros(n: number): number[] {
  return new Array<number>(n).fill(0);
}

/** A set of 64-bit values (two uint32 halves): linear probing, backward-shift deletion. */
class Set64 {
  // Small at first: 10,000 engines each hold one.
  private hi = zeros(16);
  private lo = zeros(16);
  private used = zeros(16);
  /** 32 - log2(table length): the home slot is the top bits of a multiplicative hash. */
  private shift = 28;
  private size = 0;

  private home(hi: number, lo: number): number {
    return Math.imul(hi ^ lo, 0x9e3779b1) >>> this.shift;
  }

  private find(hi: number, lo: number): number {
    const mask = this.used.length - 1;
    for (let i = this.home(hi, lo); ; i = (i + 1) & mask) {
      if (this.used[i] === 0) return -1;
      if (this.hi[i] === hi && this.lo[i] === lo) return i;
    }
  }

  has(hi: number, lo: number): boolean {
    return this.find(hi, lo) !== -1;
  }

  add(hi: number, lo: number): void {
    if (this.find(hi, lo) !== -1) return;
    while ((this.size + 1) * 2 > this.used.length) this.grow();
    const mask = this.used.length - 1;
    let i = this.home(hi, lo);
    while (this.used[i] === 1) i = (i + 1) & mask;
    this.used[i] = 1;
    this.hi[i] = hi;
    this.lo[i] = lo;
    this.size++;
  }

  delete(hi: number, lo: number): void {
    let i = this.find(hi, lo);
    if (i === -1) return;
    const mask = this.used.length - 1;
    // Shift later entries of the probe run back so no lookup stops early at the hole.
    for (let j = (i + 1) & mask; this.used[j] === 1; j = (j + 1) & mask) {
      const k = this.home(this.hi[j] as number, this.lo[j] as number);
      const stays = i <= j ? i < k && k <= j : i < k || k <= j;
      if (stays) continue;
      this.hi[i] = this.hi[j] as number;
      this.lo[i] = this.lo[j] as number;
      i = j;
    }
    this.used[i] = 0;
    this.size--;
  }

  /** Makes room for `n` values without growing step by step (restore). */
  reserve(n: number): void {
    while (n * 2 > this.used.length) this.grow();
  }

  private grow(): void {
    const { hi, lo, used } = this;
    this.hi = zeros(used.length * 2);
    this.lo = zeros(used.length * 2);
    this.used = zeros(used.length * 2);
    this.shift--;
    this.size = 0;
    for (let i = 0; i < used.length; i++) if (used[i] === 1) this.add(hi[i] as number, lo[i] as number);
  }
}

/**
 * The window as a ring, oldest at `head`: saved hex hashes (undefined for one added here,
 * formatted from `hi`/`lo` only when saved), arrival times, numeric halves (`ok` 0: a saved
 * string that is no FNV hash, never matched).
 */
export class DedupeWindow {
  private h: (string | undefined)[] = new Array<string | undefined>(16);
  private at: number[] = new Array<number>(16).fill(0);
  private hi = zeros(16);
  private lo = zeros(16);
  private ok = zeros(16);
  private head = 0;
  private n = 0;
  private readonly index = new Set64();

  /** Continues from saved hashes and arrival times (as returned by `saved`). */
  load(h: string[], at: number[]): void {
    this.index.reserve(h.length);
    while (this.h.length < h.length) this.grow();
    for (let i = 0; i < h.length; i++) {
      const x = h[i] as string;
      const valid = typeof x === 'string' && x.length === 16;
      const hi = valid ? hexWord(x, 0) : -1;
      const lo = valid ? hexWord(x, 8) : -1;
      this.push(x, at[i] as number, hi, lo, hi !== -1 && lo !== -1);
    }
  }

  saved(): { h: string[]; at: number[] } {
    const h: string[] = [];
    const at: number[] = [];
    const mask = this.h.length - 1;
    for (let k = 0; k < this.n; k++) {
      const i = (this.head + k) & mask;
      let x = this.h[i];
      if (x === undefined) {
        // Formatted once: a later snapshot reuses it.
        x = pairHex(this.hi[i] as number, this.lo[i] as number);
        this.h[i] = x;
      }
      h.push(x);
      at.push(this.at[i] as number);
    }
    return { h, at };
  }

  /** Forgets ids seen at or before `limit`. */
  prune(limit: number): void {
    while (this.n > 0 && (this.at[this.head] as number) <= limit) this.dropOldest();
  }

  /** Whether `id` is in the window; its hash is kept for a following `add`. */
  seen(id: string): boolean {
    fnv1a64Pair(id);
    return this.index.has(fnvPair[0] as number, fnvPair[1] as number);
  }

  /** Adds the id last passed to `seen`, at arrival `a`; returns how many ids over `capacity` it evicted. */
  add(a: number, capacity: number): number {
    this.push(undefined, a, fnvPair[0] as number, fnvPair[1] as number, true);
    let evicted = 0;
    while (this.n > capacity) {
      this.dropOldest();
      evicted++;
    }
    return evicted;
  }

  private push(h: string | undefined, at: number, hi: number, lo: number, ok: boolean): void {
    if (this.n === this.h.length) this.grow();
    const i = (this.head + this.n) & (this.h.length - 1);
    this.h[i] = h;
    this.at[i] = at;
    this.hi[i] = hi;
    this.lo[i] = lo;
    this.ok[i] = ok ? 1 : 0;
    this.n++;
    if (ok) this.index.add(hi, lo);
  }

  private dropOldest(): void {
    const i = this.head;
    if (this.ok[i] === 1) this.index.delete(this.hi[i] as number, this.lo[i] as number);
    this.h[i] = undefined;
    this.head = (i + 1) & (this.h.length - 1);
    this.n--;
  }

  /** Doubles the ring, oldest first at 0. */
  private grow(): void {
    const size = this.h.length * 2;
    const h = new Array<string | undefined>(size);
    const at = new Array<number>(size).fill(0);
    const hi = zeros(size);
    const lo = zeros(size);
    const ok = zeros(size);
    const mask = this.h.length - 1;
    for (let k = 0; k < this.n; k++) {
      const i = (this.head + k) & mask;
      h[k] = this.h[i];
      at[k] = this.at[i] as number;
      hi[k] = this.hi[i] as number;
      lo[k] = this.lo[i] as number;
      ok[k] = this.ok[i] as number;
    }
    this.h = h;
    this.at = at;
    this.hi = hi;
    this.lo = lo;
    this.ok = ok;
    this.head = 0;
  }
}
