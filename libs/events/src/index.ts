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
