// Public API of @kairos/models: definitions, features, training, evaluation, scoring (Node only).
export {
  ModelDefinitionSchema,
  ModelIdSchema,
  TargetSchema,
  FeatureHintsSchema,
  targetHorizonMs,
} from './model.schema';
export type { ModelDefinition, ModelDefinitionInput, Target, FeatureHints } from './model.schema';
export { ModelArtifactSchema, ModelCardSchema } from './artifact.schema';
export type { ModelArtifact, ModelCard } from './artifact.schema';
export { FeatureSpecSchema, featureNames } from './feature-set';
export type { FeatureSpec } from './feature-set';
export { featuresAt } from './features';
export { labelAt, eligibleAt } from './labels';
export { timeSplit } from './time-split';
export type { TimeSplit } from './time-split';
export { resolveSpec, buildDesign } from './dataset';
export { fitLogistic, predict } from './logistic';
export type { Logistic, Design } from './logistic';
export { auc, evaluate, precisionAtTop } from './evaluation';
export type { Evaluation } from './evaluation';
export { trainModel, holdoutAuc, NotEnoughDataError, LIBRARY } from './train';
export type { Trained } from './train';
export { scoreCustomer, scoreRow, roundScore } from './scoring';
export { eventReader } from './event-reader';
export type { EventReader } from './event-reader';
export type { CustomerHistory, HistoryEvent } from './history';
export { generateChurnHistory, seededRandom } from './demo-history';
export type { DemoCustomer, DemoHistoryEvent, DemoHistoryOptions } from './demo-history';
export { loadModelDir, modelsDirOf } from './load-models';
export type { ModelLoadError, ModelDir } from './load-models';
export { modelJsonSchema } from './json-schema';
export { trainAndStore, scoreAll, scoreRecent } from './model-runner';
export type { ModelRunnerDeps, TrainOutcome, ScoreOutcome } from './model-runner';
export { notifyJourneys } from './notify-journeys';
