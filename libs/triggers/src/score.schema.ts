// The `score` pattern of docs/triggers.md §3.14: fires when a model's score of the customer crosses
// a threshold, with a hysteresis band so a score hovering at the threshold fires once. The journey
// feeds scores to the matcher as `kairos.score` events; the pattern is an atom on them.
import { z } from 'zod';
import type { Pred } from './pred.schema';
import { AsNameSchema } from './pred.schema';

/** The synthetic event a score change becomes: properties `{model, value, version}`. */
export const SCORE_EVENT = 'kairos.score';
/** Default hysteresis band: the score must move this far back past the threshold to re-arm. */
export const DEFAULT_HYSTERESIS = 0.1;

/** A model id, as `models/<id>.json` and `scores.<id>` spell it (docs/models.md §1). */
export const ScoreModelSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9_-]{0,62}$/,
    'must be a model id: 1-63 lower-case letters, digits, "_" or "-", starting with a letter, e.g. "churn"',
  );

const ThresholdSchema = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');

/** Fires when the score of `model` rises to `gte` or more, or falls to `lte` or less. */
export const ScorePatternSchema = z
  .strictObject({
    kind: z.literal('score'),
    model: ScoreModelSchema,
    gte: ThresholdSchema.optional(),
    lte: ThresholdSchema.optional(),
    hysteresis: z
      .number()
      .min(0, 'must be between 0 and 0.5')
      .max(0.5, 'must be between 0 and 0.5')
      .optional(),
    as: AsNameSchema.optional(),
  })
  .superRefine((s, ctx) => {
    if ((s.gte === undefined) === (s.lte === undefined))
      ctx.addIssue({
        code: 'custom',
        path: s.gte === undefined ? ['gte'] : ['lte'],
        message:
          'a score pattern needs exactly one threshold: "gte" (fires when the score rises to it) or "lte" (when it falls to it)',
      });
  });
export type ScorePattern = z.infer<typeof ScorePatternSchema>;

/** Rounds away float noise (0.7 - 0.1 is 0.6, not 0.59999...). */
function round9(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

/**
 * The two conditions of a score atom on a `kairos.score` event: `fire` (the score is past the
 * threshold) and `rearm` (it is back beyond the hysteresis band).
 */
export function scoreConditions(s: ScorePattern): { fire: Pred; rearm: Pred } {
  const model: Pred = { path: 'properties.model', op: 'eq', value: s.model };
  const band = s.hysteresis ?? DEFAULT_HYSTERESIS;
  const at = (p: Pred): Pred => ({ op: 'and', args: [model, p] });
  if (s.gte !== undefined)
    return {
      fire: at({ path: 'properties.value', op: 'gte', value: s.gte }),
      rearm: at({ path: 'properties.value', op: 'lt', value: round9(s.gte - band) }),
    };
  const lte = s.lte as number;
  return {
    fire: at({ path: 'properties.value', op: 'lte', value: lte }),
    rearm: at({ path: 'properties.value', op: 'gt', value: round9(lte + band) }),
  };
}
