import { z } from 'zod';
import { RESPONSE_TYPES, type ResponseType } from '@kairos/persistence';

/** POST /v1/feedback: a provider callback about one delivery. */
export const FeedbackRequestSchema = z.strictObject({
  deliveryId: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 of [A-Za-z0-9._:-]'),
  type: z.enum(RESPONSE_TYPES as [ResponseType, ...ResponseType[]]),
  at: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time with an offset' }),
});
export type FeedbackRequest = z.infer<typeof FeedbackRequestSchema>;

/** The answer to every valid callback (docs/api.md §6): it does not tell whether the delivery exists. */
export const FeedbackAnswerSchema = z.object({
  deliveryId: z.string(),
  type: z.enum(RESPONSE_TYPES as [ResponseType, ...ResponseType[]]),
  status: z.literal('accepted'),
});
export type FeedbackAnswer = z.infer<typeof FeedbackAnswerSchema>;
