import { z } from 'zod';
import { FeatureSpecSchema } from './feature-set';
import { LogisticSchema } from './logistic';

/** What a trained version scores with: its feature spec, coefficients and calibration. */
export const ModelArtifactSchema = z.strictObject({
  spec: FeatureSpecSchema,
  model: LogisticSchema,
  /** Platt scaling of the log-odds, fitted on the most recent training cutoff (out of time). */
  platt: z.strictObject({ a: z.number(), b: z.number() }),
});
export type ModelArtifact = z.infer<typeof ModelArtifactSchema>;

const EvaluationSchema = z.strictObject({
  customers: z.number(),
  baseRate: z.number(),
  auc: z.number(),
  precisionAtTop10: z.number(),
  liftAtTop10: z.number(),
  brier: z.number(),
  meanPredicted: z.number(),
});

/** The model card stored with every version (docs/models.md §4, GET /v1/models). */
export const ModelCardSchema = z.strictObject({
  model: z.string(),
  /** The trained version (1, 2, ...): `scores.<model>.version`. */
  version: z.number().int(),
  /** The `version` of the definition file it was trained from. */
  definitionVersion: z.number().int(),
  trainedAt: z.string(),
  target: z.string(),
  library: z.string(),
  train: z.strictObject({
    cutoffs: z.array(z.string()),
    customers: z.number(),
    examples: z.number(),
    baseRate: z.number(),
  }),
  holdout: EvaluationSchema.extend({ cutoff: z.string() }),
  topFeatures: z.array(z.strictObject({ name: z.string(), weight: z.number() })),
  /** Whether it replaced the current version: `promoted`, or `kept-previous` when worse on the holdout. */
  decision: z.enum(['promoted', 'kept-previous']),
  /** The current version's AUC on this version's holdout, when there was one. */
  previous: z.strictObject({ version: z.number().int(), auc: z.number() }).optional(),
  trainingMs: z.number(),
});
export type ModelCard = z.infer<typeof ModelCardSchema>;
