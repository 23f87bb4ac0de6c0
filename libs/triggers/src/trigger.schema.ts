import { z } from 'zod';
import { EventNameSchema } from '@kairos/events';
import { DurationSchema } from './duration.schema';
import { AsNameSchema, PathSchema, PredSchema, ProfilePathSchema, ProfilePredSchema } from './pred.schema';
import { checkTriggerRules } from './trigger-rules';
import { DatePatternSchema, SchedulePatternSchema } from './calendar.schema';
import { ScorePatternSchema } from './score.schema';

// The gateway's own rule (libs/events): a name it accepts is always one a trigger may name.
export { EventNameSchema };

/** One event of a given name, optionally filtered by `where` and bound as `as`. */
export const AtomSchema = z.strictObject({
  kind: z.literal('event'),
  name: EventNameSchema,
  where: PredSchema.optional(),
  as: AsNameSchema.optional(),
});
export type Atom = z.infer<typeof AtomSchema>;

/** At least `atLeast` qualifying events within a sliding window. */
export const CountSchema = z.strictObject({
  kind: z.literal('count'),
  event: AtomSchema,
  atLeast: z.int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100'),
  within: DurationSchema,
  distinctBy: PathSchema.optional(),
  as: AsNameSchema.optional(),
});
export type Count = z.infer<typeof CountSchema>;

/** Every child, each on a different event, in any order within `within`. */
export const AllSchema = z.strictObject({
  kind: z.literal('all'),
  of: z
    .array(z.discriminatedUnion('kind', [AtomSchema, CountSchema, ScorePatternSchema]))
    .min(2, 'must list at least 2 children')
    .max(6, 'must list at most 6 children'),
  within: DurationSchema,
  as: AsNameSchema.optional(),
});
export type All = z.infer<typeof AllSchema>;

/** The first satisfied child wins. */
export const AnySchema = z.strictObject({
  kind: z.literal('any'),
  of: z
    .array(z.discriminatedUnion('kind', [AtomSchema, CountSchema, AllSchema, ScorePatternSchema]))
    .min(2, 'must list at least 2 children')
    .max(6, 'must list at most 6 children'),
  as: AsNameSchema.optional(),
});
export type Any = z.infer<typeof AnySchema>;

/** One binding step of a sequence. */
export const BindStepSchema = z.strictObject({
  kind: z.literal('step'),
  node: z.discriminatedUnion('kind', [AtomSchema, CountSchema, AllSchema, AnySchema, ScorePatternSchema]),
  contiguity: z.enum(['relaxed', 'strict']).optional(),
  maxGap: DurationSchema.optional(),
});
/** "No such event": in the middle kills the partial match, at the end completes it after `for`. */
export const AbsentStepSchema = z.strictObject({
  kind: z.literal('absent'),
  event: AtomSchema,
  for: DurationSchema.optional(),
});
export const StepSchema = z.discriminatedUnion('kind', [BindStepSchema, AbsentStepSchema]);
export type Step = z.infer<typeof StepSchema>;

/** Steps in order, each binding strictly after the previous one. */
export const SeqSchema = z.strictObject({
  kind: z.literal('seq'),
  steps: z.array(StepSchema).min(2, 'must list at least 2 steps').max(8, 'must list at most 8 steps'),
  within: DurationSchema.optional(),
});
export type Seq = z.infer<typeof SeqSchema>;

/** "No qualifying event for `for`", once per silent period. */
export const InactivitySchema = z.strictObject({
  kind: z.literal('inactivity'),
  event: AtomSchema,
  for: DurationSchema,
});
export type Inactivity = z.infer<typeof InactivitySchema>;

/** Any pattern a trigger may use. */
export const PatternSchema = z.discriminatedUnion('kind', [
  AtomSchema,
  CountSchema,
  AllSchema,
  AnySchema,
  SeqSchema,
  InactivitySchema,
  DatePatternSchema,
  SchedulePatternSchema,
  ScorePatternSchema,
]);
export type Pattern = z.infer<typeof PatternSchema>;

const HhMmSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time "HH:MM" (for example "09:30")');
export const WeekdaySchema = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof WeekdaySchema>;
export const ChannelSchema = z.enum(['email', 'sms', 'push', 'webhook']);
export type Channel = z.infer<typeof ChannelSchema>;

export const DelaySchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({ type: z.literal('fixed'), duration: DurationSchema }),
  z.strictObject({
    type: z.literal('localTime'),
    at: HhMmSchema,
    days: z.array(WeekdaySchema).min(1).max(7).optional(),
  }),
  z.strictObject({ type: z.literal('optimal'), fallback: HhMmSchema, within: DurationSchema }),
]);
export type Delay = z.infer<typeof DelaySchema>;

/** Template id: the file `templates/<id>.liquid`. */
export const TemplateIdSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,63}$/,
    'must be a template id of lowercase letters, digits, _ or - (the file templates/<id>.liquid)',
  );

/** What the journey does after a match (docs/triggers.md §6.1); the matcher never reads it. */
export const ResponseSchema = z.strictObject({
  delay: DelaySchema.optional(),
  experiment: z
    .strictObject({
      variants: z
        .array(
          z.strictObject({
            id: z.string().min(1).max(64),
            weight: z.number().positive('must be greater than 0'),
            delay: DelaySchema,
          }),
        )
        .min(1, 'must list at least one variant')
        .max(10, 'must list at most 10 variants'),
      holdout: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').optional(),
    })
    .optional(),
  channels: z.strictObject({
    order: z.array(ChannelSchema).min(1, 'must list at least one channel').max(4),
    strategy: z.enum(['first-available', 'fallback']).optional(),
    fallbackAfter: DurationSchema.optional(),
  }),
  template: TemplateIdSchema,
  exitOn: z.array(AtomSchema).max(16).optional(),
  policy: z
    .strictObject({
      quietHours: z.enum(['respect', 'ignore']).optional(),
      caps: z.enum(['respect', 'ignore']).optional(),
    })
    .optional(),
  escalate: z
    .strictObject({
      when: ProfilePredSchema,
      to: z.string().min(1).max(200),
      sla: DurationSchema,
      then: z.string().min(1).max(200).optional(),
    })
    .optional(),
  conversion: z
    .strictObject({ event: AtomSchema, window: DurationSchema, valuePath: ProfilePathSchema.optional() })
    .optional(),
});
export type Response = z.infer<typeof ResponseSchema>;

/** Trigger id: stable across versions. */
export const TriggerIdSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_.-]{0,63}$/,
    'must be 1-64 lowercase letters, digits, _ . - starting with a letter or digit (for example "abandoned-cart")',
  );

const TriggerObjectSchema = z.strictObject({
  id: TriggerIdSchema,
  version: z.int('must be a whole number').min(1, 'must be 1 or more'),
  enabled: z.boolean().optional(),
  description: z.string().max(2000).optional(),
  pattern: PatternSchema,
  correlate: z
    .strictObject({
      by: z.array(PathSchema).min(1, 'must list at least one path').max(4, 'must list at most 4 paths'),
    })
    .optional(),
  startPolicy: z.enum(['every', 'earliest', 'latest']).optional(),
  afterMatch: z.enum(['overlap', 'consume', 'pastLast']).optional(),
  reentry: z
    .strictObject({
      mode: z.enum(['always', 'once', 'cooldown']),
      cooldown: DurationSchema.optional(),
      scope: z.enum(['trigger', 'key']).optional(),
    })
    .optional(),
  priority: z.int('must be a whole number').min(-1000).max(1000).optional(),
  group: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1-64 letters, digits, _ . : -')
    .optional(),
  dropLower: z.boolean().optional(),
  limits: z
    .strictObject({
      maxKeys: z.int().min(1, 'must be at least 1').max(1000, 'must be at most 1000').optional(),
      maxPartialsPerKey: z.int().min(1, 'must be at least 1').max(64, 'must be at most 64').optional(),
    })
    .optional(),
  response: ResponseSchema.optional(),
});

/**
 * A trigger definition (docs/triggers.md §2.5) with every validation rule that concerns one trigger:
 * absent placement, `eqRef` bindings, unique `as` names, correlation paths.
 */
export const TriggerSchema = TriggerObjectSchema.superRefine((t, ctx) => {
  for (const issue of checkTriggerRules(t))
    ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});
export type Trigger = z.infer<typeof TriggerSchema>;
/** A trigger as written (before parsing; equal to Trigger today, kept apart for future defaults). */
export type TriggerInput = z.input<typeof TriggerSchema>;
