// Deadlines due at one instant: rank window close, calendar instants, inactivity and final
// absences, in a fixed order (docs/triggers.md §3.2).
import type { CTrigger } from './compile';
import { applySkip } from './engine-after-match';
import { arbitrate, closeRankWindow } from './engine-arbitration';
import type { EngineCore } from './engine-core';
import { strCmp, type Cand, type Timer } from './engine-helpers';
import type { Output, TriggerState } from './engine.types';
import { fireCalendar } from './calendar-arms';
import { makeMatch } from './match-output';
import { traceComplete } from './trace';

export function processDeadlines(eng: EngineCore, d: number, out: Output[]): void {
  let n = 0;
  while (n < eng.timers.length && (eng.timers[n] as Timer).d === d) n++;
  const due = eng.timers.splice(0, n);
  // Rank window close first: candidates at exactly the close instant belong to the next window.
  if (due.some((x) => x.ti === -1)) {
    closeRankWindow(eng, out);
  }
  const items = due
    .filter((x) => x.ti >= 0)
    .map((x) => {
      const ks = eng.keys[x.ti]?.get(x.k);
      const p = x.n >= 0 ? ks?.p?.find((y) => y.n === x.n) : undefined;
      const st = p ? p.st : ks?.ia?.l ? [ks.ia.l[1], ks.ia.l[2]] : [-Infinity, -1];
      return { x, st: st as [number, number] };
    })
    .sort(
      (a, b) =>
        a.x.ti - b.x.ti || a.st[0] - b.st[0] || a.st[1] - b.st[1] || strCmp(a.x.k, b.x.k) || a.x.n - b.x.n,
    );
  const cands: Cand[] = [];
  for (const { x } of items) {
    const T = eng.set.triggers[x.ti] as CTrigger;
    if (x.n === -2) {
      const fired = fireCalendar(T, eng.ts[x.ti] as TriggerState, eng.shapes, d);
      // A vetoed instant is reported, outside arbitration (it takes no group slot).
      if (fired?.skipped) {
        eng.st.suppressed++;
        out.push(fired.m);
      } else if (fired) cands.push({ m: fired.m, ti: x.ti });
      continue;
    }
    const ks = eng.keys[x.ti]?.get(x.k);
    if (!ks) continue;
    if (x.n === -1) {
      if (!ks.ia || ks.ia.d !== d) continue;
      const l = ks.ia.l;
      const m = makeMatch(T, eng.shapes, x.k, [l ? [l] : []], 'absence', d, d);
      cands.push({ m, ti: x.ti });
      if (eng.obs) traceComplete(eng.obs, T, m, null, null);
      // Fires once per silent period: the next qualifying event re-arms it.
      ks.ia.d = null;
      continue;
    }
    const p = ks.p?.find((y) => y.n === x.n);
    if (!p || p.dl !== d) continue;
    eng.removePartial(x.ti, x.k, ks, p);
    const m = makeMatch(T, eng.shapes, x.k, p.b, 'absence', d, d);
    cands.push({ m, ti: x.ti });
    if (eng.obs) traceComplete(eng.obs, T, m, p.n, null);
    applySkip(eng, T, x.k, ks, p.b, null);
    eng.tidyKey(x.ti, x.k);
  }
  if (cands.length > 0) arbitrate(eng, cands, d, out);
}
