// Compiles a validated trigger set into the matcher's runtime form: atoms numbered per
// trigger, predicates split into leaves precomputed once per event (bits) and references
// evaluated at bind time, value paths projected once per event so saved state stays small.
import { parseDuration } from './duration';
import { fnv1a64 } from './hash';
import type { Pred } from './pred.schema';
import { evaluateLeaf, readSegments } from './predicate';
import type { All, Any, Atom, Count, Trigger } from './trigger.schema';
import { compileCalendar, type CCalendar } from './calendar-compile';
import { SCORE_EVENT, scoreConditions, type ScorePattern } from './score.schema';
import type { CScore } from './score-state';

/** A projected value: scalars as is; long/unsafe strings as `#<hash>`; objects as `#o`; missing as null. */
export type V = string | number | boolean | null;

export type CPred =
  | { k: 'true' }
  | { k: 'bit'; i: number }
  | { k: 'ref'; op: 'eqRef' | 'neqRef' | 'gtRef' | 'ltRef'; left: number; as: string; right: number }
  | { k: 'and' | 'or'; a: CPred[] }
  | { k: 'not'; a: CPred }
  /** A score atom: true when the current `kairos.score` event crosses its threshold (score-state.ts). */
  | { k: 'score'; ta: number };

export type CAtom = { ta: number; name: string; where: CPred; step: number };

export type CNode =
  | { k: 'atom'; ta: number; slot: number }
  | { k: 'count'; ta: number; slot: number; atLeast: number; within: number; distinct: number }
  | { k: 'all'; of: CNode[]; within: number }
  | { k: 'any'; of: CNode[] };

export type CSlot = { ta: number; cap: number; within: number; distinct: number };

export type CStep = {
  kind: 'step' | 'absent';
  node: CNode | null;
  slots: CSlot[];
  atoms: number[];
  strict: boolean;
  maxGap: number | null;
  absentTa: number;
  forMs: number | null;
};

export type CTrigger = {
  index: number;
  id: string;
  version: number;
  priority: number;
  group: string | null;
  dropLower: boolean;
  startPolicy: 'every' | 'earliest' | 'latest';
  afterMatch: 'overlap' | 'consume' | 'pastLast';
  reentryMode: 'always' | 'once' | 'cooldown';
  cooldown: number;
  reentryScope: 'trigger' | 'key';
  maxKeys: number;
  maxPartials: number;
  correlated: boolean;
  inactivity: { ta: number; forMs: number } | null;
  /** A date or schedule pattern: fires at the instants the host arms (docs/triggers.md §3.12). */
  calendar: CCalendar | null;
  /** Score atoms with their hysteresis conditions (docs/triggers.md §3.14). */
  scores: CScore[];
  steps: CStep[];
  within: number | null;
  atoms: CAtom[];
  names: string[];
  vp: string[];
  /** Leading entries of `vp` kept in saved records. */
  storedVp: number;
  corr: number[];
  distinctVp: number[];
  refTargets: number[];
  bindingKeys: { key: string; step: number; atoms: number[] }[];
};

type LeafPred = Exclude<Pred, { op: 'and' | 'or' | 'not' } | { op: 'eqRef' | 'neqRef' | 'gtRef' | 'ltRef' }>;

/** Per event name: the leaves to precompute, the value paths to project, the interested triggers. */
export type NameInfo = {
  name: string;
  leaves: LeafPred[];
  /** `leaves[i].path` split on dots, once. */
  leafSegs: string[][];
  leafKeys: string[];
  vp: string[];
  /** `vp[i]` split on dots, once. */
  vpSegs: string[][];
  triggers: { ti: number; atoms: number[]; vpMap: number[] }[];
};

export type CompiledSet = {
  triggers: CTrigger[];
  byName: Record<string, NameInfo>;
  names: string[];
  fingerprint: string;
};

/**
 * Whether `s` has `min`..`max` characters, each from `lowest` to `~` except the double quote and
 * the backslash (a loop: no regex run per event value).
 */
export function isSafeAscii(s: string, lowest: number, min: number, max: number): boolean {
  if (s.length < min || s.length > max) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < lowest || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

/** Projects a raw value so it is bounded and JSON-safe while keeping equality semantics. */
export function encodeValue(raw: unknown): V {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'number' || typeof raw === 'boolean') return raw;
  if (typeof raw === 'string')
    return isSafeAscii(raw, 0x20, 0, 64) && raw.charCodeAt(0) !== 35 ? raw : `#${fnv1a64(raw)}`;
  return '#o';
}

class Builder {
  atoms: CAtom[] = [];
  vp: string[] = [];
  scores: CScore[] = [];
  constructor(
    private readonly byName: Record<string, NameInfo>,
    private readonly ti: number,
  ) {}

  vpIndex(path: string): number {
    let i = this.vp.indexOf(path);
    if (i === -1) {
      i = this.vp.length;
      this.vp.push(path);
    }
    return i;
  }

  info(name: string): NameInfo {
    let info = this.byName[name];
    if (!info) {
      info = { name, leaves: [], leafSegs: [], leafKeys: [], vp: [], vpSegs: [], triggers: [] };
      this.byName[name] = info;
    }
    return info;
  }

  pred(p: Pred | undefined, name: string): CPred {
    if (p === undefined) return { k: 'true' };
    switch (p.op) {
      case 'and':
      case 'or':
        return { k: p.op, a: p.args.map((a) => this.pred(a, name)) };
      case 'not':
        return { k: 'not', a: this.pred(p.arg, name) };
      case 'eqRef':
      case 'neqRef':
      case 'gtRef':
      case 'ltRef':
        return {
          k: 'ref',
          op: p.op,
          left: this.vpIndex(p.path),
          as: p.ref.as,
          right: this.vpIndex(p.ref.path),
        };
      case 'eq':
      case 'neq':
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
      case 'in':
      case 'nin':
      case 'exists':
      case 'missing':
      case 'contains':
      case 'startsWith':
      case 'endsWith': {
        const info = this.info(name);
        const key = JSON.stringify(p);
        let i = info.leafKeys.indexOf(key);
        if (i === -1) {
          i = info.leaves.length;
          info.leaves.push(p);
          info.leafSegs.push(p.path.split('.'));
          info.leafKeys.push(key);
        }
        return { k: 'bit', i };
      }
    }
  }

  atom(a: Atom, step: number): number {
    const ta = this.atoms.length;
    this.info(a.name);
    this.atoms.push({ ta, name: a.name, where: { k: 'true' }, step });
    (this.atoms[ta] as CAtom).where = this.pred(a.where, a.name);
    return ta;
  }

  /** A score pattern: an atom on `kairos.score` that qualifies only when the score crosses. */
  scoreAtom(s: ScorePattern, step: number): number {
    const ta = this.atom({ kind: 'event', name: SCORE_EVENT }, step);
    const c = scoreConditions(s);
    this.scores.push({ ta, fire: this.pred(c.fire, SCORE_EVENT), rearm: this.pred(c.rearm, SCORE_EVENT) });
    (this.atoms[ta] as CAtom).where = { k: 'score', ta };
    return ta;
  }
}

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

function refTargetsOf(p: Pred | undefined, out: string[]): void {
  if (p === undefined) return;
  if (p.op === 'and' || p.op === 'or') for (const a of p.args) refTargetsOf(a, out);
  else if (p.op === 'not') refTargetsOf(p.arg, out);
  else if (p.op === 'eqRef' || p.op === 'neqRef' || p.op === 'gtRef' || p.op === 'ltRef')
    out.push(p.ref.path);
}

function storedPaths(t: Trigger): string[] {
  const out: string[] = [];
  const node = (n: Atom | Count | All | Any | ScorePattern): void => {
    if (n.kind === 'score') return;
    if (n.kind === 'event') refTargetsOf(n.where, out);
    else if (n.kind === 'count') {
      if (n.distinctBy !== undefined) out.push(n.distinctBy);
      refTargetsOf(n.event.where, out);
    } else for (const c of n.of) node(c);
  };
  const p = t.pattern;
  if (p.kind === 'seq')
    for (const s of p.steps) {
      if (s.kind === 'step') node(s.node);
      else refTargetsOf(s.event.where, out);
    }
  else if (p.kind === 'inactivity') refTargetsOf(p.event.where, out);
  else if (p.kind !== 'date' && p.kind !== 'schedule') node(p);
  return out;
}

function compileTrigger(t: Trigger, index: number, byName: Record<string, NameInfo>): CTrigger {
  const b = new Builder(byName, index);
  // Paths whose values must be kept in saved records (distinctBy, reference targets) come
  // first, so a saved record keeps only `v.slice(0, storedVp)`; the others (correlation,
  // reference left sides) are read from the arriving event and never saved.
  for (const path of storedPaths(t)) b.vpIndex(path);
  const storedVp = b.vp.length;
  const corr = (t.correlate?.by ?? []).map((p) => b.vpIndex(p));
  const steps: CStep[] = [];
  const bindingKeys: CTrigger['bindingKeys'] = [];
  let inactivity: CTrigger['inactivity'] = null;
  let calendar: CCalendar | null = null;
  let within: number | null = null;
  const p = t.pattern;
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

  const distinctVp: number[] = [];
  const refTargets: number[] = [];
  const walkRefs = (c: CPred) => {
    if (c.k === 'ref') refTargets.push(c.right);
    else if (c.k === 'and' || c.k === 'or') c.a.forEach(walkRefs);
    else if (c.k === 'not') walkRefs(c.a);
  };
  for (const a of b.atoms) walkRefs(a.where);
  for (const s of steps) for (const sl of s.slots) if (sl.distinct >= 0) distinctVp.push(sl.distinct);

  const names = [...new Set(b.atoms.map((a) => a.name))].sort();
  for (const name of names) {
    const info = byName[name] as NameInfo;
    const vpMap = b.vp.map((path) => {
      let pos = info.vp.indexOf(path);
      if (pos === -1) {
        pos = info.vp.length;
        info.vp.push(path);
        info.vpSegs.push(path.split('.'));
      }
      return pos;
    });
    info.triggers.push({ ti: index, atoms: b.atoms.filter((a) => a.name === name).map((a) => a.ta), vpMap });
  }
  const limits = t.limits ?? {};
  return {
    index,
    id: t.id,
    version: t.version,
    priority: t.priority ?? 0,
    group: t.group ?? null,
    dropLower: t.dropLower ?? false,
    startPolicy: t.startPolicy ?? 'every',
    afterMatch: t.afterMatch ?? 'pastLast',
    reentryMode: t.reentry?.mode ?? 'always',
    cooldown: t.reentry?.cooldown === undefined ? 0 : parseDuration(t.reentry.cooldown),
    reentryScope: t.reentry?.scope ?? 'trigger',
    maxKeys: t.correlate ? (limits.maxKeys ?? 32) : 1,
    maxPartials: limits.maxPartialsPerKey ?? 8,
    correlated: t.correlate !== undefined,
    inactivity,
    calendar,
    scores: b.scores,
    steps,
    within,
    atoms: b.atoms,
    names,
    vp: b.vp,
    storedVp,
    corr,
    distinctVp,
    refTargets,
    bindingKeys,
  };
}

/** Compiles the enabled triggers of a validated set, sorted by id for deterministic order. */
export function compileSet(triggers: readonly Trigger[]): CompiledSet {
  const enabled = triggers
    .filter((t) => t.enabled !== false)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byName: Record<string, NameInfo> = Object.create(null) as Record<string, NameInfo>;
  const compiled = enabled.map((t, i) => compileTrigger(t, i, byName));
  const names = Object.keys(byName).sort();
  const fingerprint = fnv1a64(
    JSON.stringify(enabled.map((t) => [t.id, t.version, t.pattern, t.correlate ?? null])),
  );
  return { triggers: compiled, byName, names, fingerprint };
}

/** Precomputed per-event data: leaf bits ('0'/'1') and projected values for the name. */
export function projectEvent(
  info: NameInfo,
  ev: { name: string; properties: Record<string, unknown> },
): { bits: string; vals: V[] } {
  let bits = '';
  for (let i = 0; i < info.leaves.length; i++)
    bits += evaluateLeaf(info.leaves[i] as LeafPred, readSegments(ev, info.leafSegs[i] as string[]))
      ? '1'
      : '0';
  const vals: V[] = [];
  for (const segs of info.vpSegs) vals.push(encodeValue(readSegments(ev, segs)));
  return { bits, vals };
}
