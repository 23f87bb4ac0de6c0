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
export { createDecisionActivities } from './decisions.activities';
export type {
  CalendarDecision,
  CalendarInput,
  DecisionActivities,
  MatchDecision,
  MatchDecisionInput,
  SendDecision,
  SendDecisionInput,
} from './decisions.activities';
export { createDefinitionsActivities, toDefinitionsVersion } from './definitions.activities';
export type {
  CurrentDefinitions,
  DefinitionsActivities,
  DefinitionsVersion,
  LoadedDefinitions,
} from './definitions.activities';
export { createBroadcastActivities } from './broadcast.activities';
export type { BroadcastActivities, BroadcastActivityDeps, BroadcastPageResult } from './broadcast.activities';
export { createLegacyActivities } from './v1/legacy.activities';
export type { LegacyActivities } from './v1/legacy.activities';
export { toDefinitionsV1 } from './v1/definitions-v1';

/** A trigger or policy as written in KAIROS_TRIGGERS_DIR (the zod input types of @kairos/triggers). */
export type { TriggerInput as RawTrigger, PolicyInput as RawPolicy } from '@kairos/triggers';
