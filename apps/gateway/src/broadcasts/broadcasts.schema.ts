import { z } from 'zod';
import { CustomerIdSchema, EventNameSchema, PropertiesSchema } from '@kairos/events';
import { DurationSchema, ProfilePredSchema, type Pred } from '@kairos/triggers';

/** Most customers one listed audience may name (a larger audience is a `where`). */
export const BROADCAST_MAX_LISTED = 10_000;
/** Highest delivery rate a broadcast may ask for, in customers per second. */
export const BROADCAST_MAX_RATE = 10_000;
/** Rate when the request names none. */
export const BROADCAST_DEFAULT_RATE = 500;

/** A broadcast id; 118 characters leave room for the `broadcast:` event id prefix (128). */
export const BroadcastIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9._:-]{1,118}$/,
    'must be 1-118 characters of A-Z a-z 0-9 . _ : - (for example "storm-warning-2026-12-02")',
  );

type Issue = { path: (string | number)[]; message: string };

/** Paths an audience predicate reads: the profile only; references need an event, so none. */
function audienceProblems(p: Pred, at: (string | number)[], out: Issue[]): void {
  if ('args' in p) {
    p.args.forEach((a, i) => audienceProblems(a, [...at, 'args', i], out));
  } else if ('arg' in p) {
    audienceProblems(p.arg, [...at, 'arg'], out);
  } else {
    if ('ref' in p)
      out.push({
        path: [...at, 'op'],
        message: `"${p.op}" compares with an earlier event; an audience has none`,
      });
    if (!p.path.startsWith('profile.'))
      out.push({
        path: [...at, 'path'],
        message: 'must read the profile: "profile.<field>" or "profile.attributes.<name>"',
      });
  }
}

/** An audience predicate: the profile predicate language (docs/triggers.md §2.3) on `profile.*`. */
export const AudienceWhereSchema = ProfilePredSchema.superRefine((p, ctx) => {
  const problems: Issue[] = [];
  audienceProblems(p, [], problems);
  for (const { path, message } of problems) ctx.addIssue({ code: 'custom', path, message });
});

/**
 * `{ "where", "activeWithin"? }` or `{ "customers" }`: one object with the fields optional, so
 * each mistake is reported on its own field rather than as "matches neither shape".
 */
const AudienceSchema = z
  .strictObject({
    where: AudienceWhereSchema.optional(),
    activeWithin: DurationSchema.optional(),
    customers: z
      .array(CustomerIdSchema)
      .min(1, 'must list at least one customer id')
      .max(BROADCAST_MAX_LISTED, `must list at most ${BROADCAST_MAX_LISTED} customers; use "where" for more`)
      .optional(),
  })
  .superRefine((a, ctx) => {
    if ((a.where === undefined) === (a.customers === undefined))
      ctx.addIssue({
        code: 'custom',
        message: 'must have either "where" (a profile predicate) or "customers" (a list of ids)',
      });
    if (a.customers !== undefined && a.activeWithin !== undefined)
      ctx.addIssue({ code: 'custom', path: ['activeWithin'], message: 'only applies to a "where" audience' });
  });

/** POST /v1/broadcasts (docs/api.md "Broadcasts"). */
export const BroadcastRequestSchema = z.strictObject({
  id: BroadcastIdSchema,
  name: EventNameSchema,
  properties: PropertiesSchema.default({}),
  audience: AudienceSchema,
  ratePerSecond: z
    .int('must be a whole number of customers per second')
    .min(1, 'must be at least 1')
    .max(BROADCAST_MAX_RATE, `must be at most ${BROADCAST_MAX_RATE}`)
    .default(BROADCAST_DEFAULT_RATE),
  startJourneys: z.boolean('must be true or false').default(false),
});
export type BroadcastRequest = z.infer<typeof BroadcastRequestSchema>;

/** GET /v1/broadcasts/{id} and the answers of POST (docs/api.md "Broadcasts"). */
export const BroadcastViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  workflowId: z.string(),
  state: z.enum(['running', 'completed', 'cancelled']),
  matched: z.int().describe('customers of the audience read so far'),
  delivered: z.int().describe('customers whose journey Temporal took the event for'),
  skipped: z.int().describe('customers without a journey, left out (startJourneys false)'),
  failed: z.int().describe('customers Temporal refused for good'),
  ratePerSecond: z.int(),
  startJourneys: z.boolean(),
  createdAt: z.string(),
  cancelRequestedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type BroadcastView = z.infer<typeof BroadcastViewSchema>;
