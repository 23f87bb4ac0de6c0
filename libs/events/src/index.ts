export {
  EventSchema,
  EventBatchSchema,
  EventCategorySchema,
  EventIdSchema,
  CustomerIdSchema,
  EventNameSchema,
  IsoDateTimeSchema,
  PropertiesSchema,
} from './event.schema';
export type { Event, EventInput } from './event.schema';
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
export type { CustomerProfile, ExitRequest } from './profile.schema';
