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
