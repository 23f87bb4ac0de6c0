// Public API of @kairos/triggers. Sandbox-safe: nothing reachable from here touches Node.
export {
  TriggerSchema,
  PatternSchema,
  AtomSchema,
  CountSchema,
  AllSchema,
  AnySchema,
  SeqSchema,
  StepSchema,
  InactivitySchema,
  ResponseSchema,
  DelaySchema,
  ChannelSchema,
  EventNameSchema,
  TemplateIdSchema,
  WeekdaySchema,
} from './trigger.schema';
export type {
  Trigger,
  TriggerInput,
  Pattern,
  Atom,
  Count,
  All,
  Any,
  Seq,
  Step,
  Inactivity,
  Response,
  Delay,
  Channel,
  Weekday,
} from './trigger.schema';
export { PredSchema, ProfilePredSchema, PathSchema, ProfilePathSchema, ScalarSchema } from './pred.schema';
export type { Pred, Scalar } from './pred.schema';
export { DurationSchema, NonNegativeDurationSchema } from './duration.schema';
export { parseDuration, MAX_DURATION_MS } from './duration';
export type { Duration } from './duration';
export { EngineConfigSchema } from './engine-config.schema';
export type { EngineConfig, EngineConfigInput } from './engine-config.schema';
export { PolicySchema } from './policy.schema';
export type { Policy, PolicyInput } from './policy.schema';
export { DefinitionSetSchema, DefinitionsRegistrySchema } from './definition-set.schema';
export type { DefinitionSet, DefinitionsRegistry } from './definition-set.schema';
export { toDefinitionSet, hashDefinitionSet } from './definitions-version';
export type { DefinitionsInput } from './definitions-version';
export { evaluatePred, readPath } from './predicate';
export { defineTrigger } from './define-trigger';
export { validateTrigger, formatPath } from './validate';
export type { ValidationError } from './validate';
export { validateTriggerSet, triggerEventNames, responseEventNames } from './trigger-set';
export { triggerWarnings, eventNamePaths, unseenEventMessage } from './trigger-warnings';
export { PROFILE_FIELDS } from './profile-fields';
export { createEngine, resolveEngineConfig, MAX_RANKED_HELD } from './engine';
export { TraceRecorder } from './trace';
export type { EngineObserver, EngineOptions } from './trace';
export { TraceEntrySchema, TraceKindSchema, KillCauseSchema, SuppressionReasonSchema } from './trace.schema';
export type { TraceEntry, TraceKind, KillCause, SuppressionReason } from './trace.schema';
export {
  BACKTEST_SAMPLES_PER_TRIGGER,
  SuppressionsSchema,
  BacktestEventSchema,
  SampleMatchSchema,
  TriggerResultSchema,
  BacktestResultsSchema,
} from './backtest.schema';
export type {
  Suppressions,
  BacktestEvent,
  SampleMatch,
  TriggerResult,
  BacktestResults,
} from './backtest.schema';
export { emptyTally, runBacktestCustomer, tallyCustomer, tallyResults } from './backtest-run';
export { prepareBacktest, propertyKeysRead } from './backtest-prepare';
export type { PreparedBacktest } from './backtest-prepare';
export { BacktestJobSpecSchema } from './backtest.schema';
export type { BacktestJobSpec } from './backtest.schema';
export type { BacktestCustomer, BacktestSpec, PolicyJudge, PolicyReason, TallyState } from './backtest-run';
export type { Engine, ResolvedConfig } from './engine';
export type {
  MatchEvent,
  MatchOutput,
  LateOutput,
  DuplicateOutput,
  RejectedOutput,
  EvictedOutput,
  Output,
  PartialMatchView,
  EngineState,
  EngineStats,
  CalendarView,
} from './engine.types';
export { STATE_BUDGET_BYTES, computeStateBound } from './state-bound';
export { compileSet } from './compile';
export { triggerJsonSchema, policyJsonSchema, engineConfigJsonSchema } from './json-schema';
export { TriggerError } from './errors';
export type { TriggerErrorCode } from './errors';
export { replayCustomer } from './replay';
export type { EmittedOutput, ReplayOptions } from './replay';
export {
  DatePatternSchema,
  SchedulePatternSchema,
  UnlessSchema,
  OffsetSchema,
  offsetParts,
} from './calendar.schema';
export type { DatePattern, SchedulePattern, CalendarPattern, Unless } from './calendar.schema';
export { armRequests, applyArmings } from './calendar-arming';
export type { ArmRequest, Arming } from './calendar-arming';
export { cronSyntaxProblem } from './cron-syntax';
export { ScorePatternSchema, SCORE_EVENT, DEFAULT_HYSTERESIS } from './score.schema';
export type { ScorePattern } from './score.schema';
export { scoreModels, scoreEvent } from './score-feed';
export type { StoredScoreValue } from './score-feed';
