import { isLeafPred, type LeafPred, type Pred, type Scalar } from './pred.schema';

/**
 * Reads a dot path (`properties.cart.total`, `profile.tier`, `name`) on an arbitrary object
 * root. Only own properties of plain objects are followed; anything else reads as missing.
 */
export function readPath(root: unknown, path: string): unknown {
  let cur: unknown = root;
  let start = 0;
  for (;;) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    const dot = path.indexOf('.', start);
    const seg = dot === -1 ? path.slice(start) : path.slice(start, dot);
    if (!Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
    if (dot === -1) return cur;
    start = dot + 1;
  }
}

/** `readPath` with the path already split on dots (hot paths split once, at compile time). */
export function readSegments(root: unknown, segs: readonly string[]): unknown {
  let cur: unknown = root;
  for (const seg of segs) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** Strict scalar equality: same type and same value; null/missing/objects never equal anything. */
function same(a: unknown, b: Scalar): boolean {
  return b !== null && isScalar(a) && typeof a === typeof b && a === b;
}

/**
 * Evaluates one non-reference comparison on a value already read from its path.
 * Two-valued and never coercing: missing, `null`, objects and other types compare false.
 */
export function evaluateLeaf(p: LeafPred, v: unknown): boolean {
  switch (p.op) {
    case 'eq':
      return same(v, p.value);
    case 'neq':
      return p.value !== null && isScalar(v) && typeof v === typeof p.value && v !== p.value;
    case 'gt':
      return typeof v === 'number' && v > p.value;
    case 'gte':
      return typeof v === 'number' && v >= p.value;
    case 'lt':
      return typeof v === 'number' && v < p.value;
    case 'lte':
      return typeof v === 'number' && v <= p.value;
    case 'in':
      return isScalar(v) && p.values.some((x) => x === v);
    case 'nin':
      // A different type is a failed comparison (false), as for `neq`: only a value whose type
      // appears in the list can be "none of them".
      return isScalar(v) && p.values.some((x) => typeof x === typeof v) && !p.values.some((x) => x === v);
    case 'exists':
      return v !== undefined && v !== null;
    case 'missing':
      return v === undefined || v === null;
    case 'contains':
      return typeof v === 'string' && v.includes(p.value);
    case 'startsWith':
      return typeof v === 'string' && v.startsWith(p.value);
    case 'endsWith':
      return typeof v === 'string' && v.endsWith(p.value);
  }
}

/** Compares two values read for a reference predicate (`eqRef` etc.). */
export function compareRef(
  op: 'eqRef' | 'neqRef' | 'gtRef' | 'ltRef',
  left: unknown,
  right: unknown,
): boolean {
  switch (op) {
    case 'eqRef':
      return isScalar(left) && isScalar(right) && typeof left === typeof right && left === right;
    case 'neqRef':
      return isScalar(left) && isScalar(right) && typeof left === typeof right && left !== right;
    case 'gtRef':
      return typeof left === 'number' && typeof right === 'number' && left > right;
    case 'ltRef':
      return typeof left === 'number' && typeof right === 'number' && left < right;
  }
}

/**
 * Evaluates a predicate on any object root with dot paths: an event (`{ name, properties }`),
 * or a merged root such as `{ properties, profile }` for `escalate.when`.
 * Reference predicates read `refs[as]` (the event an earlier step bound as `as`); without it
 * they are false.
 */
export function evaluatePred(
  pred: Pred,
  root: Record<string, unknown>,
  refs?: Record<string, Record<string, unknown>>,
): boolean {
  if (isLeafPred(pred)) return evaluateLeaf(pred, readPath(root, pred.path));
  switch (pred.op) {
    case 'and':
      return pred.args.every((a) => evaluatePred(a, root, refs));
    case 'or':
      return pred.args.some((a) => evaluatePred(a, root, refs));
    case 'not':
      return !evaluatePred(pred.arg, root, refs);
    case 'eqRef':
    case 'neqRef':
    case 'gtRef':
    case 'ltRef': {
      const bound = refs?.[pred.ref.as];
      if (bound === undefined) return false;
      return compareRef(pred.op, readPath(root, pred.path), readPath(bound, pred.ref.path));
    }
  }
}
