import type { Pred } from './pred.schema';
import { predWarnings, type PredWarning } from './pred-warnings';
import type { Pattern, Trigger } from './trigger.schema';
import { patternAtoms } from './trigger-rules';

/** Every predicate of a trigger (pattern, exit rules, conversion goal, escalation) with its JSON path. */
function triggerPreds(t: Trigger): { pred: Pred; at: (string | number)[] }[] {
  const preds: { pred: Pred; at: (string | number)[] }[] = [];
  for (const a of patternAtoms(t.pattern))
    if (a.atom.where) preds.push({ pred: a.atom.where, at: [...a.path, 'where'] });
  const r = t.response;
  r?.exitOn?.forEach((a, i) => {
    if (a.where) preds.push({ pred: a.where, at: ['response', 'exitOn', i, 'where'] });
  });
  if (r?.conversion?.event.where)
    preds.push({ pred: r.conversion.event.where, at: ['response', 'conversion', 'event', 'where'] });
  if (r?.escalate) preds.push({ pred: r.escalate.when, at: ['response', 'escalate', 'when'] });
  return preds;
}

/** What is legal but suspicious in one trigger, with JSON paths relative to it (docs/triggers.md §2.8). */
export function triggerWarnings(t: Trigger): PredWarning[] {
  return triggerPreds(t).flatMap(({ pred, at }) => predWarnings(pred, at));
}

/** Every `as` name a pattern binds: the roots a template may read besides the fixed ones. */
export function boundNames(p: Pattern): string[] {
  const names: string[] = [];
  const visit = (n: { as?: string; kind: string; event?: unknown; of?: unknown[] }): void => {
    if (n.as !== undefined) names.push(n.as);
    if (n.kind === 'count' || n.kind === 'inactivity') visit(n.event as { as?: string; kind: string });
    for (const c of n.of ?? []) visit(c as { as?: string; kind: string });
  };
  if (p.kind === 'seq') for (const s of p.steps) visit(s.kind === 'step' ? s.node : s.event);
  else visit(p);
  return names;
}

/** Every event name a trigger listens to (pattern, exit rules, conversion goal) with the JSON path of its first mention. */
export function eventNamePaths(t: Trigger): { name: string; path: (string | number)[] }[] {
  const all = [
    ...patternAtoms(t.pattern).map((a) => ({ name: a.atom.name, path: [...a.path, 'name'] })),
    ...(t.response?.exitOn ?? []).map((a, i) => ({ name: a.name, path: ['response', 'exitOn', i, 'name'] })),
    ...(t.response?.conversion
      ? [{ name: t.response.conversion.event.name, path: ['response', 'conversion', 'event', 'name'] }]
      : []),
  ];
  return all.filter((e, i) => all.findIndex((o) => o.name === e.name) === i);
}

/** The warning for an event name no stored event carried in the look-back window. */
export function unseenEventMessage(name: string, days: number): string {
  return `no event named "${name}" was received in the last ${days} days: check the spelling against what your producers send`;
}
