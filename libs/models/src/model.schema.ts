import { z } from 'zod';
import { AtomSchema, DurationSchema, EventNameSchema, parseDuration, PathSchema } from '@kairos/triggers';

/** A model id: the file name `models/<id>.json` and the key of `scores.<id>` on the profile. */
export const ModelIdSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9_-]{0,62}$/,
    'must be 1-63 lower-case letters, digits, "_" or "-", starting with a letter, e.g. "churn"',
  );

/** Will do X within a horizon (e.g. purchase within 14 days). */
export const EventTargetSchema = z.strictObject({ event: AtomSchema, within: DurationSchema });
/** Will not do X for a horizon (e.g. churn: no session for 30 days). */
export const AbsentTargetSchema = z.strictObject({ absent: AtomSchema, for: DurationSchema });
export const TargetSchema = z.union([EventTargetSchema, AbsentTargetSchema], {
  error: 'must be {"event": <atom>, "within": "14d"} or {"absent": <atom>, "for": "30d"}',
});
export type Target = z.infer<typeof TargetSchema>;

/** A monetary (or any numeric) property summed per window: `properties.total` of `order.completed`. */
export const ValueHintSchema = z.strictObject({ event: EventNameSchema, path: PathSchema });

/** Optional hints; without them every event name seen in the data (the 12 most frequent) is used. */
export const FeatureHintsSchema = z.strictObject({
  events: z.array(EventNameSchema).min(1).max(24, 'must list at most 24 event names').optional(),
  values: z.array(ValueHintSchema).max(8, 'must list at most 8 value paths').optional(),
  /** Count windows, each within the observation window; default 7d, 14d and 28d. */
  windows: z.array(DurationSchema).min(1).max(4, 'must list at most 4 windows').optional(),
});
export type FeatureHints = z.infer<typeof FeatureHintsSchema>;

const ModelObjectSchema = z.strictObject({
  $schema: z.string().optional(),
  id: ModelIdSchema,
  version: z.int('must be a whole number').min(1, 'must be 1 or more'),
  description: z.string().max(500).optional(),
  target: TargetSchema,
  /** How far back from a cutoff the features look. */
  observation: DurationSchema.default('56d'),
  features: FeatureHintsSchema.optional(),
  /** How often the worker's Temporal Schedule retrains the model. */
  retrain: DurationSchema.default('7d'),
  /** How often customers with new events are scored between trainings. */
  rescore: DurationSchema.default('15m'),
  /** L2 penalty per training row of the logistic regression (on standardised features). */
  l2: z.number().min(0).max(10).default(0.01),
});

/** A model definition, `models/<id>.json` in KAIROS_TRIGGERS_DIR (docs/models.md §1). */
export const ModelDefinitionSchema = ModelObjectSchema.superRefine((m, ctx) => {
  const obs = parseDuration(m.observation);
  for (const [i, w] of (m.features?.windows ?? []).entries())
    if (parseDuration(w) > obs)
      ctx.addIssue({
        code: 'custom',
        path: ['features', 'windows', i],
        message: `must not be longer than "observation" (${String(m.observation)})`,
      });
});
export type ModelDefinition = z.infer<typeof ModelDefinitionSchema>;
export type ModelDefinitionInput = z.input<typeof ModelDefinitionSchema>;

/** The horizon of a target: how long after a cutoff its label looks. */
export function targetHorizonMs(t: Target): number {
  return parseDuration('within' in t ? t.within : t.for);
}
