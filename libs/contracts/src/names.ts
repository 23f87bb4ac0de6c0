/** Task queue every Kairos worker polls. */
export const TASK_QUEUE = 'kairos-journeys';

/** Namespace used when none is configured. */
export const NAMESPACE_DEFAULT = 'default';

/** Workflow type name of the per-customer journey. */
export const WORKFLOW_TYPE = 'customerJourneyWorkflow';

/** Signal names; payload types live in payloads.ts. */
export const SIGNALS = {
  event: 'kairos.event',
  profileChanged: 'kairos.profileChanged',
  exit: 'kairos.exit',
  escalationAck: 'kairos.escalationAck',
  feedback: 'kairos.feedback',
} as const;

/** Query names. */
export const QUERIES = {
  journey: 'kairos.journey',
} as const;

/** Custom search attributes registered on the namespace (name -> Temporal type). */
export const SEARCH_ATTRIBUTES = {
  CustomerId: 'Keyword',
  JourneyStage: 'Keyword',
  ActiveTriggers: 'KeywordList',
  LastTrigger: 'Keyword',
  LastEventAt: 'Datetime',
  PendingResponses: 'Int',
} as const;

/** The id of a customer's journey workflow: one per customer, so signal-with-start finds it. */
export function customerWorkflowId(customerId: string): string {
  return `customer:${customerId}`;
}
