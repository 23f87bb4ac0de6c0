import { z } from 'zod';

export const EscalationListQuerySchema = z.strictObject({
  status: z.enum(['open', 'acked', 'expired']).optional(),
  customerId: z
    .string()
    .regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'must be a customer id')
    .optional(),
});

/**
 * The `{id}` of POST /v1/escalations/{id}/ack: the worker's ids are `esc_` and hex. Checked so
 * that text PostgreSQL cannot store (NUL, lone surrogates) is a 400, not a failed query.
 */
export const EscalationIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be an escalation id (for example "esc_0f3a...")');

/** POST /v1/escalations/{id}/ack */
export const EscalationAckSchema = z.strictObject({
  by: z.string().min(1, 'must name who acknowledges').max(200),
  outcome: z.enum(['accepted', 'dismissed']),
});
export type EscalationAck = z.infer<typeof EscalationAckSchema>;
