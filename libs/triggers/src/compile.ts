// Compiles a validated trigger set into the matcher's runtime form: atoms numbered per
// trigger, predicates split into leaves precomputed once per event (bits) and references
// evaluated at bind time, value paths projected once per event so saved state stays small.
import { Builder } from './compile-builder';
import { compilePattern } from './compile-pattern';
import type { CompiledSet, CPred, CTrigger, NameInfo } from './compile-types';
import { parseDuration } from './duration';
import { fnv1a64 } from './hash';
import type { Pred } from './pred.schema';
import type { ScorePattern } from './score.schema';
import type { All, Any, Atom, Count, Trigger } from './trigger.schema';

export type { V, CPred, CAtom, CNode, CSlot, CStep, CTrigger, NameInfo, CompiledSet } from './compile-types';
export { isSafeAscii, encodeValue, projectEvent } from './compile-project';

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

/** Registers the trigger with each event name it reads: its atoms there and where its values sit. */
function indexNames(b: Builder, index: number, byName: Record<string, NameInfo>): string[] {
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
  return names;
}

function compileTrigger(t: Trigger, index: number, byName: Record<string, NameInfo>): CTrigger {
  const b = new Builder(byName, index);
  // Paths whose values must be kept in saved records (distinctBy, reference targets) come
  // first, so a saved record keeps only `v.slice(0, storedVp)`; the others (correlation,
  // reference left sides) are read from the arriving event and never saved.
  for (const path of storedPaths(t)) b.vpIndex(path);
  const storedVp = b.vp.length;
  const corr = (t.correlate?.by ?? []).map((p) => b.vpIndex(p));
  const { steps, bindingKeys, inactivity, calendar, within } = compilePattern(b, t.pattern);

  const distinctVp: number[] = [];
  const refTargets: number[] = [];
  const walkRefs = (c: CPred) => {
    if (c.k === 'ref') refTargets.push(c.right);
    else if (c.k === 'and' || c.k === 'or') c.a.forEach(walkRefs);
    else if (c.k === 'not') walkRefs(c.a);
  };
  for (const a of b.atoms) walkRefs(a.where);
  for (const s of steps) for (const sl of s.slots) if (sl.distinct >= 0) distinctVp.push(sl.distinct);
  const names = indexNames(b, index, byName);
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
