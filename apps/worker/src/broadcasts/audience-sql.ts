import type { AudienceCondition } from '@kairos/persistence';
import type { Pred } from '@kairos/triggers';

type Param = (value: unknown) => string;
type Leaf = Exclude<Pred, { op: 'and' | 'or' | 'not' }>;

const SCALAR_TYPES = "('string', 'number', 'boolean')";

/**
 * Compiles an audience predicate (a profile predicate, docs/triggers.md §2.3) to a SQL condition
 * over `customers c` with the semantics of `evaluatePred`: two-valued (every leaf is TRUE or
 * FALSE, never NULL, so `not` is exact) and never coercing. `profile.customerId` reads the
 * customer id; `profile.<field>...` reads the stored profile jsonb. Equality and `in` also test
 * jsonb containment, which the GIN index on `customers.profile` answers.
 */
export function compileAudience(pred: Pred): AudienceCondition {
  return (param) => compile(pred, param);
}

function compile(p: Pred, param: Param): string {
  if ('args' in p) return `(${p.args.map((a) => compile(a, param)).join(` ${p.op.toUpperCase()} `)})`;
  if ('arg' in p) return `(NOT ${compile(p.arg, param)})`;
  return `COALESCE(${leaf(p, param)}, FALSE)`;
}

/** The profile fields below `profile.`; the gateway admits no other path (broadcasts.schema.ts). */
function segments(path: string): string[] {
  const [root, ...rest] = path.split('.');
  if (root !== 'profile' || rest.length === 0)
    throw new Error(`audience path "${path}" does not read the profile`);
  return rest;
}

/** The jsonb value at a path, SQL NULL when missing; arrays on the way read as missing (readPath). */
function valueAt(segs: string[], param: Param): string {
  if (segs.length === 1 && segs[0] === 'customerId') return 'to_jsonb(c.customer_id)';
  const read = `(c.profile #> ${param(segs)}::text[])`;
  // `#>` indexes arrays by a numeric segment; readPath never does: such paths check each parent.
  if (!segs.slice(1).some((s) => /^-?\d+$/.test(s))) return read;
  const parents = segs
    .slice(0, -1)
    .map((_, i) => `jsonb_typeof(c.profile #> ${param(segs.slice(0, i + 1))}::text[]) = 'object'`);
  return `(CASE WHEN ${parents.join(' AND ')} THEN ${read} END)`;
}

/** `{"a":{"b":value}}` for a containment test on `profile` (index help; the exact test follows). */
function containment(segs: string[], value: unknown, param: Param): string {
  if (segs.length === 1 && segs[0] === 'customerId') return 'TRUE';
  const doc = segs.reduceRight<unknown>((inner, seg) => ({ [seg]: inner }), value);
  return `c.profile @> ${param(JSON.stringify(doc))}::jsonb`;
}

function leaf(p: Leaf, param: Param): string {
  if ('ref' in p) return 'FALSE'; // references need a bound event: none in an audience
  // Never true (evaluateLeaf): answered before any parameter is taken, as SQL rejects unused ones.
  if ((p.op === 'eq' || p.op === 'neq') && p.value === null) return 'FALSE';
  if (p.op === 'in' && p.values.every((x) => x === null)) return 'FALSE';
  const segs = segments(p.path);
  const v = valueAt(segs, param);
  const json = (x: unknown): string => `${param(JSON.stringify(x))}::jsonb`;
  const text = `(${v} #>> '{}')`;
  const isString = `jsonb_typeof(${v}) = 'string'`;
  switch (p.op) {
    case 'eq':
      return `(${containment(segs, p.value, param)} AND ${v} = ${json(p.value)})`;
    case 'neq':
      return `(jsonb_typeof(${v}) = ${param(typeof p.value)}::text AND ${v} <> ${json(p.value)})`;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const cmp = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[p.op];
      return `(CASE WHEN jsonb_typeof(${v}) = 'number' THEN (${v})::numeric ${cmp} ${param(p.value)}::numeric ELSE FALSE END)`;
    }
    case 'in': {
      const values = p.values.filter((x) => x !== null);
      const any = values.map((x) => containment(segs, x, param)).join(' OR ');
      return `((${any}) AND ${v} IN (SELECT x FROM jsonb_array_elements(${json(values)}) x))`;
    }
    case 'nin': {
      const list = json(p.values.filter((x) => x !== null));
      return `(jsonb_typeof(${v}) IN ${SCALAR_TYPES}
        AND EXISTS (SELECT 1 FROM jsonb_array_elements(${list}) x WHERE jsonb_typeof(x) = jsonb_typeof(${v}))
        AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(${list}) x WHERE x = ${v}))`;
    }
    case 'exists':
      return `(jsonb_typeof(${v}) <> 'null')`;
    case 'missing':
      return `(${v} IS NULL OR jsonb_typeof(${v}) = 'null')`;
    case 'contains':
      return `(CASE WHEN ${isString} THEN strpos(${text}, ${param(p.value)}::text) > 0 ELSE FALSE END)`;
    case 'startsWith':
      return `(CASE WHEN ${isString} THEN starts_with(${text}, ${param(p.value)}::text) ELSE FALSE END)`;
    case 'endsWith':
      return `(CASE WHEN ${isString} THEN right(${text}, char_length(${param(p.value)}::text)) = ${param(p.value)}::text ELSE FALSE END)`;
  }
}
