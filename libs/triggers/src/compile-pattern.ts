// Compiles a trigger's pattern: nodes (atom, count, all, any, score) with their slots, and the
// steps of a sequence (or the inactivity / calendar form) with their binding keys.
import { compileCalendar, type CCalendar } from './calendar-compile';
import type { Builder } from './compile-builder';
import type { CNode, CSlot, CStep, CTrigger } from './compile-types';
import { parseDuration } from './duration';
import type { ScorePattern } from './score.schema';
import type { All, Any, Atom, Count, Trigger } from './trigger.schema';

function needsOf(n: Atom | Count | ScorePattern): number {
  return n.kind === 'count' ? n.atLeast : 1;
}

function compileNode(
  b: Builder,
  node: Atom | Count | All | Any | ScorePattern,
  step: number,
  slots: CSlot[],
  asOut: { key: string; atoms: number[] }[],
  slotted: { cap: number; within: number } | null,
): { node: CNode; atoms: number[] } {
  let out: { node: CNode; atoms: number[] };
  switch (node.kind) {
    case 'event':
    case 'score': {
      const ta = node.kind === 'event' ? b.atom(node, step) : b.scoreAtom(node, step);
      let slot = -1;
      if (slotted) {
        slot = slots.length;
        slots.push({ ta, cap: slotted.cap, within: slotted.within, distinct: -1 });
      }
      out = { node: { k: 'atom', ta, slot }, atoms: [ta] };
      break;
    }
    case 'count': {
      const ta = b.atom(node.event, step);
      const within = Math.min(parseDuration(node.within), slotted ? slotted.within : Infinity);
      const distinct = node.distinctBy === undefined ? -1 : b.vpIndex(node.distinctBy);
      const slot = slots.length;
      slots.push({ ta, cap: slotted ? Math.max(slotted.cap, node.atLeast) : node.atLeast, within, distinct });
      if (node.event.as !== undefined) asOut.push({ key: node.event.as, atoms: [ta] });
      out = { node: { k: 'count', ta, slot, atLeast: node.atLeast, within, distinct }, atoms: [ta] };
      break;
    }
    case 'all': {
      const within = parseDuration(node.within);
      const cap = node.of.reduce((s, c) => s + needsOf(c), 0);
      const kids = node.of.map((c) => compileNode(b, c, step, slots, asOut, { cap, within }));
      out = { node: { k: 'all', of: kids.map((k) => k.node), within }, atoms: kids.flatMap((k) => k.atoms) };
      break;
    }
    case 'any': {
      const kids = node.of.map((c) => compileNode(b, c, step, slots, asOut, null));
      out = { node: { k: 'any', of: kids.map((k) => k.node) }, atoms: kids.flatMap((k) => k.atoms) };
      break;
    }
  }
  if (node.as !== undefined) asOut.push({ key: node.as, atoms: out.atoms });
  return out;
}

export type CompiledPattern = Pick<CTrigger, 'steps' | 'bindingKeys' | 'inactivity' | 'calendar' | 'within'>;

/** The runtime form of a trigger's pattern; atoms and value paths are numbered in `b`. */
export function compilePattern(b: Builder, p: Trigger['pattern']): CompiledPattern {
  const steps: CStep[] = [];
  const bindingKeys: CTrigger['bindingKeys'] = [];
  let inactivity: CTrigger['inactivity'] = null;
  let calendar: CCalendar | null = null;
  let within: number | null = null;
  const addBindStep = (
    node: Atom | Count | All | Any | ScorePattern,
    i: number,
    strict: boolean,
    maxGap: number | null,
  ) => {
    const slots: CSlot[] = [];
    const asOut: { key: string; atoms: number[] }[] = [];
    const c = compileNode(b, node, i, slots, asOut, null);
    steps.push({
      kind: 'step',
      node: c.node,
      slots,
      atoms: c.atoms,
      strict,
      maxGap,
      absentTa: -1,
      forMs: null,
    });
    if (asOut.length === 0) bindingKeys.push({ key: String(i), step: i, atoms: c.atoms });
    for (const a of asOut) bindingKeys.push({ key: a.key, step: i, atoms: a.atoms });
  };
  if (p.kind === 'seq') {
    within = p.within === undefined ? null : parseDuration(p.within);
    p.steps.forEach((s, i) => {
      if (s.kind === 'step')
        addBindStep(
          s.node,
          i,
          s.contiguity === 'strict',
          s.maxGap === undefined ? null : parseDuration(s.maxGap),
        );
      else {
        const ta = b.atom(s.event, i);
        steps.push({
          kind: 'absent',
          node: null,
          slots: [],
          atoms: [ta],
          strict: false,
          maxGap: null,
          absentTa: ta,
          forMs: s.for === undefined ? null : parseDuration(s.for),
        });
        if (s.event.as !== undefined) bindingKeys.push({ key: s.event.as, step: i, atoms: [] });
      }
    });
  } else if (p.kind === 'inactivity') {
    const ta = b.atom(p.event, 0);
    inactivity = { ta, forMs: parseDuration(p.for) };
    bindingKeys.push({ key: p.event.as ?? '0', step: 0, atoms: [ta] });
  } else if (p.kind === 'date' || p.kind === 'schedule') calendar = compileCalendar(p, (a) => b.atom(a, 0));
  else addBindStep(p, 0, false, null);
  return { steps, bindingKeys, inactivity, calendar, within };
}
