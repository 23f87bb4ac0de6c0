// Evaluation of the current event against a trigger's atoms and pattern nodes (atoms, count,
// all, any) and its predicates, references included (docs/triggers.md §3.3, §3.5).
import type { CNode, CPred, CSlot, CTrigger, V } from './compile';
import type { EngineCore } from './engine-core';
import { isScalarV, refCompare, removeAt } from './engine-helpers';
import type { PartialState, Rec } from './engine.types';
import { insertionSort, recCmp } from './match-output';

/** A compiled predicate on the current event (`bits`, `v`); references read the partial `p`. */
export function evalPred(
  eng: EngineCore,
  c: CPred,
  bits: string,
  v: V[] | undefined,
  ti: number,
  p: PartialState | null,
): boolean {
  switch (c.k) {
    case 'true':
      return true;
    case 'bit':
      return bits.charCodeAt(c.i) === 49;
    case 'and':
      for (const a of c.a) if (!evalPred(eng, a, bits, v, ti, p)) return false;
      return true;
    case 'or':
      for (const a of c.a) if (evalPred(eng, a, bits, v, ti, p)) return true;
      return false;
    case 'not':
      return !evalPred(eng, c.a, bits, v, ti, p);
    case 'score':
      return eng.curScores.includes(c.ta);
    case 'ref': {
      if (p === null) return false;
      const target = lookupAs(eng, ti, p, c.as);
      return target !== null && refCompare(c.op, v?.[c.left], target[4]?.[c.right]);
    }
  }
}

/** Whether the current event qualifies for atom `ta` of T (in the context of partial `p`). */
export function qualifies(eng: EngineCore, T: CTrigger, ta: number, p: PartialState | null): boolean {
  const atom = T.atoms[ta];
  return (
    atom !== undefined &&
    atom.name === eng.curName &&
    evalPred(eng, atom.where, eng.curBits, eng.curV, T.index, p)
  );
}

/** Marks the atoms of a step that the current event qualifies for; returns whether any does. */
export function markQualifying(
  eng: EngineCore,
  T: CTrigger,
  atoms: number[],
  p: PartialState | null,
): boolean {
  if (++eng.qGen === 0x3fffffff) {
    eng.qMark.fill(0);
    eng.qGen = 1;
  }
  let any = false;
  for (const ta of atoms)
    if (qualifies(eng, T, ta, p)) {
      eng.qMark[ta] = eng.qGen;
      any = true;
    }
  return any;
}

/** Whether atom `ta` was marked by the last markQualifying. */
export function isMarked(eng: EngineCore, ta: number): boolean {
  return eng.qMark[ta] === eng.qGen;
}

/** The most recent event bound under `as` by the partial, or null. */
function lookupAs(eng: EngineCore, ti: number, p: PartialState, as: string): Rec | null {
  const entry = (eng.asIndex[ti] as Record<string, { step: number; atoms: number[] }>)[as];
  if (!entry) return null;
  const recs = p.b[entry.step];
  if (!recs) return null;
  for (let i = recs.length - 1; i >= 0; i--) {
    const r = recs[i] as Rec;
    if (entry.atoms.includes(r[3])) return r;
  }
  return null;
}

export function insertSlot(lists: Rec[][], slotIdx: number, slot: CSlot, rec: Rec): void {
  let list = lists[slotIdx];
  if (!list) {
    list = [];
    lists[slotIdx] = list;
  }
  const lower = rec[1] - slot.within;
  let drop = 0;
  while (drop < list.length && (list[drop] as Rec)[1] <= lower) drop++;
  if (drop > 0) {
    for (let i = drop; i < list.length; i++) list[i - drop] = list[i] as Rec;
    for (let i = 0; i < drop; i++) list.pop();
  }
  if (slot.distinct >= 0) {
    const val = rec[4]?.[slot.distinct];
    if (!isScalarV(val)) return;
    for (let i = list.length - 1; i >= 0; i--)
      if ((list[i] as Rec)[4]?.[slot.distinct] === val) removeAt(list, i);
  }
  list.push([rec[0], rec[1], rec[2], slot.ta, rec[4]] as Rec);
  while (list.length > slot.cap) list.shift();
}

function pickCount(
  list: Rec[] | undefined,
  lower: number,
  atLeast: number,
  distinct: number,
  used: number[],
): Rec[] | null {
  if (!list) return null;
  const taken: Rec[] = [];
  const seen: V[] = [];
  for (let i = list.length - 1; i >= 0 && taken.length < atLeast; i--) {
    const r = list[i] as Rec;
    if (r[1] <= lower) break;
    if (used.includes(r[2])) continue;
    if (distinct >= 0) {
      const val = r[4]?.[distinct] ?? null;
      if (!isScalarV(val) || seen.includes(val)) continue;
      seen.push(val);
    }
    taken.push(r);
  }
  return taken.length >= atLeast ? taken.reverse() : null;
}

export function evalNode(eng: EngineCore, node: CNode, rec: Rec, slots: Rec[][]): Rec[] | null {
  switch (node.k) {
    case 'atom':
      return isMarked(eng, node.ta) ? [[rec[0], rec[1], rec[2], node.ta, rec[4]] as Rec] : null;
    case 'count':
      return isMarked(eng, node.ta)
        ? pickCount(slots[node.slot], rec[1] - node.within, node.atLeast, node.distinct, [])
        : null;
    case 'all':
      return evalAll(eng, node, rec, slots);
    case 'any':
      for (const c of node.of) {
        const r = evalNode(eng, c, rec, slots);
        if (r !== null) return r;
      }
      return null;
  }
}

function evalAll(
  eng: EngineCore,
  node: Extract<CNode, { k: 'all' }>,
  rec: Rec,
  slots: Rec[][],
): Rec[] | null {
  let relevant = false;
  for (const c of node.of) if ((c.k === 'atom' || c.k === 'count') && isMarked(eng, c.ta)) relevant = true;
  if (!relevant) return null;
  const lower = rec[1] - node.within;
  const used: number[] = [];
  const res: Rec[] = [];
  for (const c of node.of) {
    if (c.k === 'atom') {
      const list = slots[c.slot] ?? [];
      let pick: Rec | null = null;
      for (let i = list.length - 1; i >= 0; i--) {
        const r = list[i] as Rec;
        if (r[1] <= lower) break;
        if (!used.includes(r[2])) {
          pick = r;
          break;
        }
      }
      if (pick === null) return null;
      used.push(pick[2]);
      res.push(pick);
    } else if (c.k === 'count') {
      const got = pickCount(slots[c.slot], Math.max(lower, rec[1] - c.within), c.atLeast, c.distinct, used);
      if (got === null) return null;
      for (const r of got) {
        used.push(r[2]);
        res.push(r);
      }
    }
  }
  if (!used.includes(rec[2])) return null;
  return insertionSort(res, recCmp);
}
