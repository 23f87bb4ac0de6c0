// The after-match strategy (docs/triggers.md §3.8): overlap, consume, pastLast.
import type { CTrigger } from './compile';
import type { EngineCore } from './engine-core';
import { dropSeqs, dropUpTo, posLe } from './engine-helpers';
import type { KeyState, Rec } from './engine.types';
import { recCmp } from './match-output';
import { traceKill } from './trace';

/**
 * The after-match strategy, applied after each match of the key (docs/triggers.md §3.8).
 * Returns false when it used up the current event `rec`.
 */
export function applySkip(
  eng: EngineCore,
  T: CTrigger,
  key: string,
  ks: KeyState,
  b: Rec[][],
  rec: Rec | null,
): boolean {
  if (T.afterMatch === 'overlap') return true;
  if (T.afterMatch === 'pastLast') {
    let last: Rec | null = null;
    for (const recs of b) if (recs) for (const r of recs) if (last === null || recCmp(r, last) > 0) last = r;
    if (last === null) return true;
    const lt = last[1];
    const ls = last[2];
    if (ks.p)
      for (const p of ks.p.slice())
        if (posLe(p.st[0], p.st[1], lt, ls)) {
          if (eng.obs) traceKill(eng.obs, T, key, p, 'superseded', rec?.[1] ?? lt, rec?.[0] ?? null);
          eng.removePartial(T.index, key, ks, p);
        }
    if (ks.w) for (const l of ks.w) if (l) dropUpTo(l, lt, ls);
    return !(rec !== null && posLe(rec[1], rec[2], lt, ls));
  }
  // consume: bound events leave every other partial and window of the key.
  const ids: number[] = [];
  for (const recs of b) if (recs) for (const r of recs) ids.push(r[2]);
  if (ks.p)
    for (const p of ks.p.slice()) {
      if (p.b.some((step) => step.some((r) => ids.includes(r[2])))) {
        if (eng.obs) traceKill(eng.obs, T, key, p, 'superseded', rec?.[1] ?? ks.u[0], rec?.[0] ?? null);
        eng.removePartial(T.index, key, ks, p);
      } else if (p.pw) for (const l of p.pw) if (l) dropSeqs(l, ids);
    }
  if (ks.w) for (const l of ks.w) if (l) dropSeqs(l, ids);
  return !(rec !== null && ids.includes(rec[2]));
}
