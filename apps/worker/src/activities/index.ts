export { createJourneyActivities } from './journey.activities';
export type {
  JourneyActivities,
  JourneyActivityDeps,
  RecordEventInput,
  ProfileSource,
  AttributionInput,
} from './journey.activities';
export { createChannelActivities, deliveryIdOf, reachableChannels } from './channel.activities';
export type {
  ChannelActivities,
  ChannelActivityDeps,
  SendMessageInput,
  SendMessageResult,
  Transport,
} from './channel.activities';
export { createEscalationActivities, escalationIdOf } from './escalation.activities';
export type {
  EscalationActivities,
  EscalationActivityDeps,
  OpenEscalationInput,
} from './escalation.activities';
export { createDefinitionsActivities, toDefinitions, durationMs } from './definitions.activities';
export type {
  DefinitionsActivities,
  LoadedDefinitions,
  RawTrigger,
  RawPolicy,
} from './definitions.activities';
