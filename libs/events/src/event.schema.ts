import { z } from 'zod';
import { EventNameSchema } from './event-name.schema';
import { boundedJsonObject, OPEN_JSON_BOUNDS } from './json-bounds';

/** Event categories (docs/api.md §3). */
export const EventCategorySchema = z.enum(['customer_action', 'system', 'time_based', 'external']);

/** Producer event id: the idempotency key. */
export const EventIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 characters of A-Z a-z 0-9 . _ : -');

export const CustomerIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'must be 1-128 characters of A-Z a-z 0-9 . _ : @ -');

/** ISO-8601 date-time with an explicit offset (Z or +hh:mm). */
export const IsoDateTimeSchema = z.iso.datetime({
  offset: true,
  message: 'must be an ISO-8601 date-time with an offset, e.g. 2026-11-24T10:00:00Z',
});

/** At most 5 levels deep (the object itself counting as one) and 32 KiB of JSON. */
export const PropertiesSchema = boundedJsonObject(OPEN_JSON_BOUNDS);

/** The public event shape of `POST /v1/events`. */
export const EventSchema = z.strictObject({
  id: EventIdSchema.optional(),
  customerId: CustomerIdSchema,
  name: EventNameSchema,
  category: EventCategorySchema.default('customer_action'),
  occurredAt: IsoDateTimeSchema.optional(),
  source: z.string().min(1).max(64).optional(),
  properties: PropertiesSchema.default({}),
});
export type EventInput = z.input<typeof EventSchema>;
export type Event = z.infer<typeof EventSchema>;

/** `POST /v1/events/batch`. Items are validated one by one so one bad item never rejects the others. */
export const EventBatchSchema = z.strictObject({
  events: z
    .array(z.unknown())
    .min(1, 'must hold at least one event')
    .max(500, 'must hold at most 500 events'),
});
