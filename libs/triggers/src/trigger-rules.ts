import type { Pred } from './pred.schema';

type Issue = { path: (string | number)[]; message: string };
type AtomLike = { kind: 'event'; name: string; where?: Pred; as?: string };
/** A score atom (docs/triggers.md §3.14): it names no event and has no `where`. */
type ScoreLike = { kind: 'score'; as?: string };
type NodeLike =
  | AtomLike
  | ScoreLike
  | { kind: 'count'; event: AtomLike; as?: string }
  | { kind: 'all'; of: NodeLike[]; as?: string }
  | { kind: 'any'; of: NodeLike[]; as?: string };
type StepLike =
  | { kind: 'step'; node: NodeLike; contiguity?: string; maxGap?: unknown }
  | { kind: 'absent'; event: AtomLike; for?: unknown };
type PatternLike =
  | NodeLike
  | { kind: 'seq'; steps: StepLike[] }
  | { kind: 'inactivity'; event: AtomLike }
  | { kind: 'date' }
  | { kind: 'schedule'; unless?: AtomLike };
type TriggerLike = {
  pattern: PatternLike;
  correlate?: { by: string[] };
  reentry?: { mode: string; cooldown?: unknown };
};

/** Every atom beneath a node with its JSON path. */
export function atomsOf(
  node: NodeLike,
  path: (string | number)[],
): { atom: AtomLike; path: (string | number)[] }[] {
  switch (node.kind) {
    case 'event':
      return [{ atom: node, path }];
    case 'score':
      return [];
    case 'count':
      return [{ atom: node.event, path: [...path, 'event'] }];
    case 'all':
    case 'any':
      return node.of.flatMap((c, i) => atomsOf(c, [...path, 'of', i]));
  }
}

/** Every `as` name beneath a node (the node's own included). */
function asNamesOf(node: NodeLike, path: (string | number)[]): { as: string; path: (string | number)[] }[] {
  const own = node.as === undefined ? [] : [{ as: node.as, path: [...path, 'as'] }];
  switch (node.kind) {
    case 'event':
    case 'score':
      return own;
    case 'count':
      return [...own, ...asNamesOf(node.event, [...path, 'event'])];
    case 'all':
    case 'any':
      return [...own, ...node.of.flatMap((c, i) => asNamesOf(c, [...path, 'of', i]))];
  }
}

function refsOf(p: Pred | undefined, path: (string | number)[]): { as: string; path: (string | number)[] }[] {
  if (p === undefined) return [];
  if (p.op === 'and' || p.op === 'or') return p.args.flatMap((a, i) => refsOf(a, [...path, 'args', i]));
  if (p.op === 'not') return refsOf(p.arg, [...path, 'arg']);
  if (p.op === 'eqRef' || p.op === 'neqRef' || p.op === 'gtRef' || p.op === 'ltRef')
    return [{ as: p.ref.as, path: [...path, 'ref', 'as'] }];
  return [];
}

/** True when the predicate requires `path` to be missing in every case it holds (top-level conjunct). */
function requiresMissing(p: Pred | undefined, path: string): boolean {
  if (p === undefined) return false;
  if (p.op === 'missing') return p.path === path;
  if (p.op === 'and') return p.args.some((a) => requiresMissing(a, path));
  if (p.op === 'not' && p.arg.op === 'exists') return p.arg.path === path;
  return false;
}

/** Atoms of the pattern (matching steps, absent steps, inactivity) with their JSON paths. */
export function patternAtoms(pattern: PatternLike): { atom: AtomLike; path: (string | number)[] }[] {
  if (pattern.kind === 'seq') {
    return pattern.steps.flatMap((s, i) =>
      s.kind === 'absent'
        ? [{ atom: s.event, path: ['pattern', 'steps', i, 'event'] }]
        : atomsOf(s.node, ['pattern', 'steps', i, 'node']),
    );
  }
  if (pattern.kind === 'inactivity') return [{ atom: pattern.event, path: ['pattern', 'event'] }];
  if (pattern.kind === 'date') return [];
  if (pattern.kind === 'schedule')
    return pattern.unless ? [{ atom: pattern.unless, path: ['pattern', 'unless'] }] : [];
  return atomsOf(pattern, ['pattern']);
}

/**
 * The validation rules of docs/triggers.md §2.7 that concern a single trigger. Each issue carries the
 * JSON path of the offending field and a sentence the author can act on.
 */
export function checkTriggerRules(t: TriggerLike): Issue[] {
  return [
    ...duplicateNameIssues(t.pattern),
    ...(t.pattern.kind === 'seq' ? sequenceIssues(t.pattern) : referenceOutsideSequenceIssues(t.pattern)),
    ...correlateIssues(t),
    ...reentryIssues(t),
  ];
}

/** `as` names are unique across the whole pattern. */
function duplicateNameIssues(p: PatternLike): Issue[] {
  const issues: Issue[] = [];
  const names: { as: string; path: (string | number)[] }[] = [];
  if (p.kind === 'seq') {
    p.steps.forEach((s, i) => {
      if (s.kind === 'step') names.push(...asNamesOf(s.node, ['pattern', 'steps', i, 'node']));
      else names.push(...asNamesOf(s.event, ['pattern', 'steps', i, 'event']));
    });
  } else if (p.kind === 'inactivity') names.push(...asNamesOf(p.event, ['pattern', 'event']));
  else if (p.kind !== 'date' && p.kind !== 'schedule') names.push(...asNamesOf(p, ['pattern']));
  const seen: Record<string, true> = {};
  for (const n of names) {
    if (/^\d+$/.test(n.as)) continue;
    if (seen[n.as])
      issues.push({
        path: n.path,
        message: `"${n.as}" is already used as a name in this pattern; give each "as" a unique name`,
      });
    seen[n.as] = true;
  }
  return issues;
}

/** Step order rules of a sequence, and references that must name an earlier step. */
function sequenceIssues(p: Extract<PatternLike, { kind: 'seq' }>): Issue[] {
  const issues: Issue[] = [];
  const bound: Record<string, true> = {};
  p.steps.forEach((s, i) => {
    const at = ['pattern', 'steps', i];
    const last = i === p.steps.length - 1;
    if (s.kind === 'absent') {
      if (i === 0)
        issues.push({
          path: at,
          message: 'a sequence cannot start with "absent": put the event it must follow first',
        });
      if (i > 0 && p.steps[i - 1]?.kind === 'absent')
        issues.push({
          path: at,
          message:
            'two "absent" steps cannot follow each other: merge them into one absent event with an "or" condition',
        });
      if (last && s.for === undefined)
        issues.push({
          path: [...at, 'for'],
          message:
            'the last "absent" step needs "for": how long the event must stay absent (for example "2h")',
        });
      if (!last && s.for !== undefined)
        issues.push({
          path: [...at, 'for'],
          message:
            '"for" is only allowed on an "absent" step at the end; a middle absence lasts until the next step binds',
        });
      for (const r of refsOf(s.event.where, [...at, 'event', 'where']))
        if (!bound[r.as]) issues.push({ path: r.path, message: refMessage(r.as) });
    } else {
      if (i === 0 && s.maxGap !== undefined)
        issues.push({
          path: [...at, 'maxGap'],
          message: '"maxGap" bounds the gap to the previous step, and the first step has none: remove it',
        });
      for (const a of atomsOf(s.node, [...at, 'node']))
        for (const r of refsOf(a.atom.where, [...a.path, 'where']))
          if (!bound[r.as]) issues.push({ path: r.path, message: refMessage(r.as) });
      for (const n of asNamesOf(s.node, [])) bound[n.as] = true;
    }
  });
  return issues;
}

/** Outside a sequence there is no earlier step, so every reference is an error. */
function referenceOutsideSequenceIssues(p: PatternLike): Issue[] {
  const issues: Issue[] = [];
  for (const a of patternAtoms(p))
    for (const r of refsOf(a.atom.where, [...a.path, 'where']))
      issues.push({
        path: r.path,
        message: `"${r.as}" cannot be referenced here: references ("eqRef" etc.) only work inside a "seq", to an earlier step`,
      });
  return issues;
}

/** `correlate` needs events to take a key from, lists each path once, and no event may forbid one. */
function correlateIssues(t: TriggerLike): Issue[] {
  const issues: Issue[] = [];
  const p = t.pattern;
  if (t.correlate && hasScore(p))
    issues.push({
      path: ['correlate'],
      message:
        'a "score" pattern reads the customer\'s score, which carries no key: remove "correlate" from a trigger that uses one',
    });
  if (t.correlate && (p.kind === 'date' || p.kind === 'schedule'))
    issues.push({
      path: ['correlate'],
      message: `a "${p.kind}" pattern fires once per customer and has no events to take a key from: remove "correlate"`,
    });
  if (t.correlate) {
    const by = t.correlate.by;
    by.forEach((path, i) => {
      if (by.indexOf(path) !== i)
        issues.push({
          path: ['correlate', 'by', i],
          message: `"${path}" is listed twice; list each path once`,
        });
      for (const a of patternAtoms(p))
        if (requiresMissing(a.atom.where, path))
          issues.push({
            path: [...a.path, 'where'],
            message: `this event must not have "${path}", but the trigger is correlated by it: it could never be assigned to a key`,
          });
    });
  }
  return issues;
}

/** `cooldown` goes with mode "cooldown", and only with it. */
function reentryIssues(t: TriggerLike): Issue[] {
  const issues: Issue[] = [];
  if (t.reentry?.mode === 'cooldown' && t.reentry.cooldown === undefined)
    issues.push({
      path: ['reentry', 'cooldown'],
      message: 'mode "cooldown" needs "cooldown": how long to wait before firing again (for example "7d")',
    });
  if (t.reentry && t.reentry.mode !== 'cooldown' && t.reentry.cooldown !== undefined)
    issues.push({
      path: ['reentry', 'cooldown'],
      message: '"cooldown" only applies to mode "cooldown": remove it or change the mode',
    });
  return issues;
}

/** Whether the pattern holds a score atom anywhere. */
function hasScore(p: PatternLike): boolean {
  const node = (n: NodeLike): boolean =>
    n.kind === 'score' || ((n.kind === 'all' || n.kind === 'any') && n.of.some(node));
  if (p.kind === 'seq') return p.steps.some((s) => s.kind === 'step' && node(s.node));
  if (p.kind === 'inactivity' || p.kind === 'date' || p.kind === 'schedule') return false;
  return node(p);
}

function refMessage(as: string): string {
  return `"${as}" is not bound by an earlier step of this sequence; a reference must name the "as" of a step that comes before it`;
}
