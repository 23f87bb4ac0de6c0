// Pure helpers of the matcher (engine.ts): record-list edits, orderings, key and reference
// evaluation on projected values. No engine state here.
import type { V } from './compile';
import type { EngineStats, KeyState, MatchOutput, PartialState, Rec } from './engine.types';

export type Timer = { d: number; ti: number; k: string; n: number };
export type Cand = { m: MatchOutput; ti: number };

/** Integer epoch ms within the Date range: keeps every saved time at most 17 characters. */
export function isEpochMs(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && Math.abs(x) <= 8.64e15;
}

export function posLe(t1: number, s1: number, t2: number, s2: number): boolean {
  return t1 < t2 || (t1 === t2 && s1 <= s2);
}
export function strCmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Removes, in place, the records at or before (t, s). */
export function dropUpTo(l: Rec[], t: number, s: number): void {
  let j = 0;
  for (const r of l) if (!posLe(r[1], r[2], t, s)) l[j++] = r;
  l.length = j;
}

/** Removes, in place, the records whose seq is in `seqs`. */
export function dropSeqs(l: Rec[], seqs: number[]): void {
  let j = 0;
  for (const r of l) if (!seqs.includes(r[2])) l[j++] = r;
  l.length = j;
}

export function partialCmp(a: PartialState, b: PartialState): number {
  return a.st[0] - b.st[0] || a.st[1] - b.st[1] || a.n - b.n;
}

/** Removes `l[i]` in place (splice would also allocate the array of removed items). */
export function removeAt<T>(l: T[], i: number): void {
  for (let j = i + 1; j < l.length; j++) l[j - 1] = l[j] as T;
  l.pop();
}

/** Read-only: the keys of a trigger that never had one. */
export const NO_KEYS: ReadonlyMap<string, KeyState> = new Map();

/** Read-only empty slot lists (evaluation never writes to the lists it is given). */
export const NO_SLOTS: Rec[][] = [];
export const NO_HITS: number[] = [];

/** Marks the key as touched by `rec` (eviction order), in place. */
export function touch(ks: KeyState, rec: Rec): void {
  ks.u[0] = rec[1];
  ks.u[1] = rec[2];
}

/** The values one trigger reads, picked from the event's projected values. */
export function project(vals: V[], map: number[]): V[] {
  // Built by push, not `new Array(n)`: JSON.stringify (snapshots) is slow on holey arrays.
  const v: V[] = [];
  for (const pos of map) v.push(vals[pos] ?? null);
  return v;
}

/** Candidates by priority (highest first), trigger id, matchedAt, then emission order. */
export function arbitrationOrder(cands: Cand[]): Cand[] {
  if (cands.length < 2) return cands;
  return cands
    .map((c, i) => ({ c, i }))
    .sort(
      (a, b) =>
        b.c.m.priority - a.c.m.priority ||
        strCmp(a.c.m.triggerId, b.c.m.triggerId) ||
        a.c.m.matchedAt - b.c.m.matchedAt ||
        a.i - b.i,
    )
    .map((x) => x.c);
}

export function emptyStats(): EngineStats {
  return {
    events: 0,
    duplicates: 0,
    late: 0,
    rejected: 0,
    fired: 0,
    suppressed: 0,
    evictions: { keys: 0, partials: 0, dedupe: 0, buffer: 0, ranked: 0 },
    restoreDropped: 0,
    unkeyed: 0,
  };
}

export function isScalarV(v: V | undefined): v is string | number | boolean {
  return v !== null && v !== undefined && v !== '#o';
}

export function refCompare(
  op: 'eqRef' | 'neqRef' | 'gtRef' | 'ltRef',
  l: V | undefined,
  r: V | undefined,
): boolean {
  switch (op) {
    case 'eqRef':
      return isScalarV(l) && isScalarV(r) && typeof l === typeof r && l === r;
    case 'neqRef':
      return isScalarV(l) && isScalarV(r) && typeof l === typeof r && l !== r;
    case 'gtRef':
      return typeof l === 'number' && typeof r === 'number' && l > r;
    case 'ltRef':
      return typeof l === 'number' && typeof r === 'number' && l < r;
  }
}

/** Correlation key from projected values; null when a value is missing or not a scalar. */
export function keyOf(v: V[] | undefined, corr: number[]): string | null {
  if (corr.length === 0) return '';
  const vals: V[] = [];
  for (const i of corr) {
    const x = v?.[i];
    if (!isScalarV(x)) return null;
    vals.push(x);
  }
  const only = vals[0];
  if (vals.length === 1 && typeof only === 'string' && only.charCodeAt(0) !== 91) return only;
  return JSON.stringify(vals);
}
