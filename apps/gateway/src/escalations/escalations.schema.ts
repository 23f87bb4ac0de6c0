import { z } from 'zod';

export const EscalationListQuerySchema = z.strictObject({
  status: z.enum(['open', 'acked', 'expired']).optional(),
  customerId: z
    .string()
    .regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'must be a customer id')
    .optional(),
});

/** POST /v1/escalations/{id}/ack */
export const EscalationAckSchema = z.strictObject({
  by: z.string().min(1, 'must name who acknowledges').max(200),
  outcome: z.enum(['accepted', 'dismissed']),
});
export type EscalationAck = z.infer<typeof EscalationAckSchema>;
