import { z } from 'zod';

/** Longest path, in segments below `properties.` / `profile.`. */
export const MAX_PATH_SEGMENTS = 4;
const SEGMENT = '[A-Za-z0-9_$@:-]+';

/** A dot path readable on an event: `name` or `properties.<a>[.<b>...]` (at most 4 segments below `properties`). */
export const PathSchema = z
  .string()
  .regex(
    new RegExp(`^(name|properties(\\.${SEGMENT}){1,${MAX_PATH_SEGMENTS}})$`),
    'must be "name" or a dot path "properties.<field>" with at most 4 fields (letters, digits, _ $ @ : -)',
  );
/** A path that may also read the customer profile (`profile.<field>`), used by `escalate.when` only. */
export const ProfilePathSchema = z
  .string()
  .regex(
    new RegExp(`^(name|(properties|profile)(\\.${SEGMENT}){1,${MAX_PATH_SEGMENTS}})$`),
    'must be "name", "properties.<field>" or "profile.<field>" with at most 4 fields',
  );

/** A JSON scalar. */
export const ScalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type Scalar = z.infer<typeof ScalarSchema>;

/** An event predicate (docs/triggers.md §2.3, §3.3). Two-valued, never coerces: see `evaluatePred`. */
export type Pred =
  | { op: 'and' | 'or'; args: Pred[] }
  | { op: 'not'; arg: Pred }
  | { path: string; op: 'eq' | 'neq'; value: Scalar }
  | { path: string; op: 'gt' | 'gte' | 'lt' | 'lte'; value: number }
  | { path: string; op: 'in' | 'nin'; values: Scalar[] }
  | { path: string; op: 'exists' | 'missing' }
  | { path: string; op: 'contains' | 'startsWith' | 'endsWith'; value: string }
  | { path: string; op: 'eqRef' | 'neqRef' | 'gtRef' | 'ltRef'; ref: { as: string; path: string } };

/**
 * The leaf operators: one path compared with literal values, decided on the event alone (the
 * matcher precomputes each as one bit per event name). The single list both the evaluator and
 * the compiler dispatch on; a new leaf operator goes here and into `evaluateLeaf`.
 */
export const LEAF_OPS = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'nin',
  'exists',
  'missing',
  'contains',
  'startsWith',
  'endsWith',
] as const satisfies readonly Pred['op'][];
export type LeafOp = (typeof LEAF_OPS)[number];
/** A leaf predicate: not and/or/not, not a reference to an earlier step's event. */
export type LeafPred = Extract<Pred, { op: LeafOp }>;

const LEAF_OP_SET: ReadonlySet<string> = new Set(LEAF_OPS);

export function isLeafPred(p: Pred): p is LeafPred {
  return LEAF_OP_SET.has(p.op);
}

/** Name an earlier `seq` step binds with `as` (letters, digits, underscore; starts with a letter or _). */
export const AsNameSchema = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]{0,31}$/,
    'must be 1-32 letters, digits or _ starting with a letter or _ (for example "cart")',
  );

function makePredSchema(path: z.ZodString): z.ZodType<Pred> {
  const schema: z.ZodType<Pred> = z.discriminatedUnion('op', [
    z.strictObject({
      op: z.enum(['and', 'or']),
      get args() {
        return z
          .array(schema)
          .min(1, 'must list at least one predicate')
          .max(16, 'must list at most 16 predicates');
      },
    }),
    z.strictObject({
      op: z.literal('not'),
      get arg() {
        return schema;
      },
    }),
    z.strictObject({ path, op: z.enum(['eq', 'neq']), value: ScalarSchema }),
    z.strictObject({
      path,
      op: z.enum(['gt', 'gte', 'lt', 'lte']),
      value: z.number('must be a number (comparisons never coerce strings)'),
    }),
    z.strictObject({
      path,
      op: z.enum(['in', 'nin']),
      values: z.array(ScalarSchema).max(100, 'must list at most 100 values'),
    }),
    z.strictObject({ path, op: z.enum(['exists', 'missing']) }),
    z.strictObject({
      path,
      op: z.enum(['contains', 'startsWith', 'endsWith']),
      value: z.string('must be a string'),
    }),
    z.strictObject({
      path,
      op: z.enum(['eqRef', 'neqRef', 'gtRef', 'ltRef']),
      ref: z.strictObject({ as: AsNameSchema, path }),
    }),
  ]);
  return schema.superRefine((p, ctx) => {
    const depth = predDepth(p);
    if (depth > 4)
      ctx.addIssue({
        code: 'custom',
        message: `nests and/or/not ${depth} levels deep; the maximum is 4, flatten it`,
      });
  });
}

/** Depth of and/or/not nesting (a leaf has depth 0). */
export function predDepth(p: Pred): number {
  if (p.op === 'and' || p.op === 'or') return 1 + Math.max(0, ...p.args.map(predDepth));
  if (p.op === 'not') return 1 + predDepth(p.arg);
  return 0;
}

/** A predicate over an event (`name`, `properties.*`). */
export const PredSchema = makePredSchema(PathSchema);
/** A predicate that may also read `profile.*` (used by `response.escalate.when`). */
export const ProfilePredSchema = makePredSchema(ProfilePathSchema);
