export {
  customerJourneyWorkflow,
  eventSignal,
  profileChangedSignal,
  exitSignal,
  escalationAckSignal,
  feedbackSignal,
  journeyQuery,
} from './customer-journey.workflow';
export type { CarriedState, PendingResponse } from './customer-journey.workflow';
