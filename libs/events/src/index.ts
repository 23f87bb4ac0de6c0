export {
  EventSchema,
  EventBatchSchema,
  EventCategorySchema,
  EventIdSchema,
  CustomerIdSchema,
  IsoDateTimeSchema,
  PropertiesSchema,
} from './event.schema';
export type { Event, EventInput } from './event.schema';
export {
  EventNameSchema,
  EVENT_NAME_MAX_CHARS,
  EVENT_NAME_PATTERN,
  OTHER_EVENT_NAMES,
  eventNameProblem,
} from './event-name.schema';
export {
  boundedJsonObject,
  findJsonBoundViolation,
  OPEN_JSON_BOUNDS,
  type JsonBounds,
  type JsonBoundViolation,
} from './json-bounds';
export {
  CustomerProfileSchema,
  ExitRequestSchema,
  TimeZoneSchema,
  ClockTimeSchema,
  ConsentSchema,
  QuietHoursSchema,
} from './profile.schema';
export type { CustomerProfile, ExitRequest, Scores } from './profile.schema';
export { ScoreSchema, ScoresSchema } from './profile.schema';
