export {
  TASK_QUEUE,
  NAMESPACE_DEFAULT,
  WORKFLOW_TYPE,
  SIGNALS,
  QUERIES,
  customerWorkflowId,
  SEARCH_ATTRIBUTES,
} from './names';
export type {
  JourneyInput,
  EventSignal,
  ProfileChangedSignal,
  ExitSignal,
  EscalationAckSignal,
  FeedbackSignal,
  JourneyView,
  Profile,
} from './payloads';
