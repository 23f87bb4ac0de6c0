import { z } from 'zod';

/** The media types of the structured and batch content modes (CloudEvents JSON format). */
export const CE_STRUCTURED = 'application/cloudevents+json';
export const CE_BATCH = 'application/cloudevents-batch+json';

/** Events a batch may hold: the same bound as POST /v1/events/batch. */
export const CE_BATCH_MAX = 500;

/** A required context attribute: a missing one is named as such, not as a wrong type. */
function required(what: string): z.ZodString {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `is required (${what})` : 'must be a string') })
    .min(1, 'must not be empty');
}

/**
 * A CloudEvent 1.0 as the JSON event format carries it (structured and batch modes; binary mode
 * is read into the same shape). Only what Kairos reads is checked here; other extension
 * attributes are allowed and ignored. The customer, name, time and data rules are the internal
 * event's (cloudevent.mapper.ts maps its errors back onto these attribute names).
 */
export const CloudEventSchema = z.looseObject({
  specversion: z.literal('1.0', {
    error: (issue) =>
      issue.input === undefined
        ? 'is required: "1.0"'
        : `must be "1.0" (this endpoint speaks CloudEvents 1.0; got ${JSON.stringify(issue.input)})`,
  }),
  id: required('with source, the idempotency key'),
  source: required('a URI-reference naming the producer'),
  type: required('the Kairos event name'),
  subject: z.string({ error: 'must be a string' }).optional(),
  // An extension attribute; the JSON format may carry it as a number.
  customerid: z.union([z.string(), z.int()], { error: 'must be a string' }).optional(),
  time: z.string({ error: 'must be an RFC 3339 timestamp string' }).optional(),
  datacontenttype: z.string({ error: 'must be a string' }).optional(),
  data: z.unknown().optional(),
  data_base64: z
    .undefined({ error: 'binary data is not accepted: send the data as JSON (`data`)' })
    .optional(),
});
export type CloudEvent = z.infer<typeof CloudEventSchema>;
