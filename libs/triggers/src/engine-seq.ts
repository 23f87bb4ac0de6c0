// Sequence stepping (docs/triggers.md §3.6): first steps and windows, opening partials, offering
// an event to the open partials of its key, middle and final absences.
import type { CSlot, CTrigger } from './compile';
import { applySkip } from './engine-after-match';
import type { EngineCore } from './engine-core';
import { evalNode, insertSlot, isMarked, markQualifying, qualifies } from './engine-eval';
import { NO_SLOTS, partialCmp, touch, type Cand } from './engine-helpers';
import type { KeyState, PartialState, Rec, TriggerState } from './engine.types';
import { partialEvicted } from './eviction-report';
import { insertionSort, makeMatch } from './match-output';
import { traceComplete, traceKill, tracePartial, type EngineObserver, type KillCause } from './trace';

export function stepsEvent(eng: EngineCore, T: CTrigger, key: string, rec: Rec, cands: Cand[]): void {
  const ti = T.index;
  let ks = eng.keys[ti]?.get(key);
  if (ks) {
    touch(ks, rec);
    // The current event may be used up by a skip rule (consume / pastLast) of a completion.
    if (ks.p && ks.p.length > 0 && !advancePartials(eng, T, key, ks, rec, cands)) {
      eng.tidyKey(ti, key);
      return;
    }
  }
  // First step: windows and new partials.
  const step0 = T.steps[0];
  if (!step0 || step0.node === null) return;
  if (!markQualifying(eng, T, step0.atoms, null)) {
    if (ks) eng.tidyKey(ti, key);
    return;
  }
  if (step0.slots.length > 0) {
    ks = ks ?? eng.keyState(ti, key, rec[1], rec[2]);
    touch(ks, rec);
    const w = ks.w ?? step0.slots.map((): Rec[] => []);
    ks.w = w;
    for (let i = 0; i < step0.slots.length; i++) {
      const slot = step0.slots[i] as CSlot;
      if (isMarked(eng, slot.ta)) insertSlot(w, i, slot, rec);
    }
  }
  const bound = evalNode(eng, step0.node, rec, ks?.w ?? NO_SLOTS);
  if (bound !== null && T.steps.length === 1) {
    // A one-step pattern completes at once: no partial, no key state needed for it.
    const m = makeMatch(T, eng.shapes, key, [bound], 'event', rec[1], null);
    cands.push({ m, ti });
    if (eng.obs) traceComplete(eng.obs, T, m, null, rec[0]);
    if (ks) applySkip(eng, T, key, ks, [bound], rec);
  } else if (bound !== null && !(T.startPolicy === 'earliest' && (ks?.p?.length ?? 0) > 0)) {
    // (under `earliest`, a first step is ignored while a partial is open)
    ks = ks ?? eng.keyState(ti, key, rec[1], rec[2]);
    touch(ks, rec);
    openPartial(eng, T, key, ks, bound, rec, cands);
  }
  if (ks) eng.tidyKey(ti, key);
}

/** Offers the event to the key's open partials; returns false when a skip rule used it up. */
function advancePartials(
  eng: EngineCore,
  T: CTrigger,
  key: string,
  ks: KeyState,
  rec: Rec,
  cands: Cand[],
): boolean {
  const ps = ks.p as PartialState[];
  // A completion's skip rule may remove later partials: iterate over a copy, skip the removed.
  const list = ps.slice();
  for (const p of list) {
    if (!ps.includes(p)) continue;
    const j = p.j;
    const r = advancePartial(eng, T, key, p, rec);
    if (eng.obs) traceAdvance(eng, T, key, p, j, r, rec);
    if (r === 'kill') eng.removePartial(T.index, key, ks, p);
    else if (r === 'complete') {
      eng.removePartial(T.index, key, ks, p);
      const m = makeMatch(T, eng.shapes, key, p.b, 'event', rec[1], null);
      cands.push({ m, ti: T.index });
      if (eng.obs) traceComplete(eng.obs, T, m, p.n, rec[0]);
      if (!applySkip(eng, T, key, ks, p.b, rec)) return false;
    }
  }
  return true;
}

/** Opens a partial on a bound first step; the oldest beyond maxPartialsPerKey are evicted. */
function openPartial(
  eng: EngineCore,
  T: CTrigger,
  key: string,
  ks: KeyState,
  bound: Rec[],
  rec: Rec,
  cands: Cand[],
): void {
  const ti = T.index;
  if (T.startPolicy === 'latest' && ks.p)
    for (const p of ks.p.slice()) {
      if (eng.obs) traceKill(eng.obs, T, key, p, 'superseded', rec[1], rec[0]);
      eng.removePartial(ti, key, ks, p);
    }
  const first = bound[0] as Rec;
  const tstate = eng.ts[ti] as TriggerState;
  const p: PartialState = { n: tstate.n++, st: [first[1], first[2]], j: 0, b: [bound], lt: rec[1] };
  if (eng.obs) tracePartial(eng.obs, 'opened', T, key, p, 0, rec);
  if (afterBind(eng, T, key, p, rec[1])) {
    const m = makeMatch(T, eng.shapes, key, p.b, 'event', rec[1], null);
    cands.push({ m, ti });
    if (eng.obs) traceComplete(eng.obs, T, m, p.n, rec[0]);
    applySkip(eng, T, key, ks, p.b, rec);
    return;
  }
  const ps = ks.p ?? [];
  ks.p = ps;
  ps.push(p);
  insertionSort(ps, partialCmp);
  while (ps.length > T.maxPartials) {
    if (eng.obs) traceKill(eng.obs, T, key, ps[0] as PartialState, 'eviction', rec[1], rec[0]);
    eng.sink.push(partialEvicted(T, key, ps[0] as PartialState));
    eng.removePartial(ti, key, ks, ps[0] as PartialState);
    eng.st.evictions.partials++;
  }
}

/**
 * Moves a partial past a step it just bound (skipping a middle absent, arming the final
 * absent's deadline). Returns true when the match is complete.
 */
function afterBind(eng: EngineCore, T: CTrigger, key: string, p: PartialState, t: number): boolean {
  let next = p.j + 1;
  if (next >= T.steps.length) return true;
  const s = T.steps[next];
  if (s && s.kind === 'absent') {
    p.b[next] = [];
    if (next === T.steps.length - 1) {
      p.j = next;
      p.dl = t + (s.forMs ?? 0);
      eng.addTimer({ d: p.dl, ti: T.index, k: key, n: p.n });
      return false;
    }
    next++;
  }
  p.j = next;
  return false;
}

function advancePartial(
  eng: EngineCore,
  T: CTrigger,
  key: string,
  p: PartialState,
  rec: Rec,
): 'keep' | 'kill' | 'complete' {
  const step = T.steps[p.j];
  if (!step) return 'kill';
  if (step.kind === 'absent') {
    // Final absent: a qualifying event before the deadline kills the partial.
    return qualifies(eng, T, step.absentTa, p) && rec[1] < (p.dl ?? Infinity) ? 'kill' : 'keep';
  }
  if (T.within !== null && rec[1] >= p.st[0] + T.within) return 'kill';
  if (step.maxGap !== null && rec[1] >= p.lt + step.maxGap) return 'kill';
  const guard = T.steps[p.j - 1];
  if (guard && guard.kind === 'absent' && qualifies(eng, T, guard.absentTa, p)) return 'kill';
  if (!markQualifying(eng, T, step.atoms, p)) return step.strict ? 'kill' : 'keep';
  if (step.slots.length > 0) {
    const pw = p.pw ?? step.slots.map((): Rec[] => []);
    p.pw = pw;
    for (let i = 0; i < step.slots.length; i++) {
      const slot = step.slots[i] as CSlot;
      if (isMarked(eng, slot.ta)) insertSlot(pw, i, slot, rec);
    }
  }
  const bound = step.node === null ? null : evalNode(eng, step.node, rec, p.pw ?? NO_SLOTS);
  if (bound === null) return 'keep';
  p.b[p.j] = bound;
  p.lt = rec[1];
  delete p.pw;
  return afterBind(eng, T, key, p, rec[1]) ? 'complete' : 'keep';
}

/** Traces what advancePartial did to `p` (which awaited step `j`); only called with an observer. */
function traceAdvance(
  eng: EngineCore,
  T: CTrigger,
  key: string,
  p: PartialState,
  j: number,
  r: string,
  rec: Rec,
): void {
  const obs = eng.obs as EngineObserver;
  if (r === 'kill') traceKill(obs, T, key, p, killCause(eng, T, p, rec), rec[1], rec[0]);
  else if (p.j !== j || r === 'complete') tracePartial(obs, 'advanced', T, key, p, j, rec);
}

/** Why advancePartial killed `p`: its checks again, in its order (docs/triggers.md §3.6). */
function killCause(eng: EngineCore, T: CTrigger, p: PartialState, rec: Rec): KillCause {
  const step = T.steps[p.j];
  if (!step || step.kind === 'absent') return 'negative';
  if (T.within !== null && rec[1] >= p.st[0] + T.within) return 'window';
  if (step.maxGap !== null && rec[1] >= p.lt + step.maxGap) return 'window';
  const guard = T.steps[p.j - 1];
  return guard && guard.kind === 'absent' && qualifies(eng, T, guard.absentTa, p) ? 'negative' : 'strict';
}
