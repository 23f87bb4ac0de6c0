// Legal but suspicious predicates: a conjunction that no value satisfies, or a comparison with a
// value of the wrong type for a profile field whose type the schema knows.
import type { Pred, Scalar } from './pred.schema';
import { profileFieldType } from './profile-fields';

export type PredWarning = { path: (string | number)[]; message: string };
type Leaf = Extract<Pred, { path: string }>;
type Bounds = { lo?: { v: number; strict: boolean }; hi?: { v: number; strict: boolean }; eq: Scalar[] };

/** Leaves that must all hold for the predicate to hold (the top level and nested `and`s). */
function conjuncts(p: Pred, at: (string | number)[]): { leaf: Leaf; at: (string | number)[] }[] {
  if (p.op === 'and') return p.args.flatMap((a, i) => conjuncts(a, [...at, 'args', i]));
  if (p.op === 'or' || p.op === 'not') return [];
  return [{ leaf: p as Leaf, at }];
}

function tighten(b: Bounds, leaf: Leaf): void {
  if (leaf.op === 'eq') b.eq.push(leaf.value);
  if (leaf.op !== 'gt' && leaf.op !== 'gte' && leaf.op !== 'lt' && leaf.op !== 'lte') return;
  const strict = leaf.op === 'gt' || leaf.op === 'lt';
  const side = leaf.op === 'gt' || leaf.op === 'gte' ? 'lo' : 'hi';
  const cur = b[side];
  const tighter =
    cur === undefined ||
    (side === 'lo' ? leaf.value > cur.v : leaf.value < cur.v) ||
    (leaf.value === cur.v && strict);
  if (tighter) b[side] = { v: leaf.value, strict };
}

function impossible(b: Bounds): string | null {
  const { lo, hi } = b;
  if (lo && hi && (lo.v > hi.v || (lo.v === hi.v && (lo.strict || hi.strict))))
    return `its bounds (${lo.strict ? '>' : '>='} ${lo.v} and ${hi.strict ? '<' : '<='} ${hi.v}) leave no value`;
  const distinct = new Set(b.eq.map((v) => JSON.stringify(v)));
  if (distinct.size > 1) return `it must equal ${[...distinct].join(' and ')} at once`;
  for (const v of b.eq)
    if ((lo || hi) && typeof v !== 'number')
      return `it must equal ${JSON.stringify(v)} and be compared as a number`;
    else if (
      typeof v === 'number' &&
      ((lo && (v < lo.v || (v === lo.v && lo.strict))) || (hi && (v > hi.v || (v === hi.v && hi.strict))))
    )
      return `it must equal ${v}, outside its own bounds`;
  return null;
}

function typeWarning(leaf: Leaf): string | null {
  const type = profileFieldType(leaf.path);
  if (type !== 'string' && type !== 'boolean' && type !== 'number') return null;
  const values = leaf.op === 'eq' ? [leaf.value] : leaf.op === 'in' ? leaf.values : [];
  const wrong = values.filter((v) => v !== null && typeof v !== type);
  if (wrong.length > 0)
    return `"${leaf.path}" holds a ${type}, so comparing it with ${wrong.map((v) => JSON.stringify(v)).join(', ')} is never true (values are never coerced)`;
  if (type !== 'number' && (leaf.op === 'gt' || leaf.op === 'gte' || leaf.op === 'lt' || leaf.op === 'lte'))
    return `"${leaf.path}" holds a ${type}, so "${leaf.op}" (numbers only) is never true`;
  return null;
}

/** Warnings for one predicate at JSON path `at` (relative to the trigger). */
export function predWarnings(p: Pred, at: (string | number)[]): PredWarning[] {
  const out: PredWarning[] = [];
  const byPath = new Map<string, Bounds>();
  for (const { leaf, at: leafAt } of conjuncts(p, at)) {
    const type = typeWarning(leaf);
    if (type) out.push({ path: leafAt, message: `can never be true: ${type}` });
    const b = byPath.get(leaf.path) ?? { eq: [] };
    tighten(b, leaf);
    byPath.set(leaf.path, b);
  }
  for (const [path, b] of byPath) {
    const why = impossible(b);
    if (why) out.push({ path: at, message: `can never be true: on "${path}" ${why}` });
  }
  return out;
}
