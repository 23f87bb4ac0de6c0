export {
  TASK_QUEUE,
  NAMESPACE_DEFAULT,
  WORKFLOW_TYPE,
  SIGNALS,
  QUERIES,
  customerWorkflowId,
  SEARCH_ATTRIBUTES,
} from './names';
export {
  eventSignal,
  profileChangedSignal,
  exitSignal,
  escalationAckSignal,
  feedbackSignal,
  journeyQuery,
} from './messages';
export { JOURNEY_SEARCH_ATTRIBUTES, journeyStartSearchAttributes, lastEventHour } from './search-attributes';
export type {
  JourneyInput,
  JourneyInputV1,
  JourneyInputV2,
  EventSignal,
  ProfileChangedSignal,
  ExitSignal,
  EscalationAckSignal,
  FeedbackSignal,
  JourneyView,
  Profile,
} from './payloads';
export {
  BROADCAST_WORKFLOW_TYPE,
  BROADCAST_QUERY,
  BROADCAST_STATES,
  BroadcastInputSchema,
  BroadcastStateSchema,
  BroadcastProgressSchema,
  broadcastWorkflowId,
  broadcastEventId,
  broadcastQuery,
  broadcastSummary,
} from './broadcasts';
export type { BroadcastInput, BroadcastState, BroadcastProgress } from './broadcasts';
export {
  TraceEntrySchema,
  TraceKindSchema,
  KillCauseSchema,
  SuppressionReasonSchema,
  JOURNEY_TRACE_LIMIT,
  journeyTraceQuery,
} from './trace';
export type { TraceEntry, TraceKind, KillCause, SuppressionReason } from './trace';
export { BACKTEST_WORKFLOW_TYPE, BacktestInputSchema, backtestWorkflowId } from './backtests';
export type { BacktestInput } from './backtests';
export { journeyEventStart } from './journey-start';
