import { z } from 'zod';
import { NonNegativeDurationSchema } from './duration.schema';

const HhMm = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time "HH:MM" (for example "21:00")');

/**
 * Workspace policy (docs/triggers.md §6.3): quiet hours in the customer's time zone, caps per channel per
 * calendar day, the minimum gap between two triggered messages and who wins it, and the consent assumed
 * where a profile records none.
 */
export const PolicySchema = z.strictObject({
  quietHours: z.strictObject({ start: HhMm, end: HhMm }).default({ start: '21:00', end: '08:00' }),
  caps: z
    .strictObject({
      email: z.int().min(0).optional(),
      sms: z.int().min(0).optional(),
      push: z.int().min(0).optional(),
      webhook: z.int().min(0).optional(),
    })
    .default({ email: 2, sms: 1, push: 3 }),
  // 0 turns the minimum gap off.
  minGap: NonNegativeDurationSchema.default('4h'),
  gapWinner: z.enum(['priority']).default('priority'),
  // Consent assumed for a channel the profile has no flag for. Left out = not given for every channel
  // (applied where consent is checked, not as a schema default: definition hashes stay unchanged).
  consentDefault: z
    .strictObject({
      email: z.boolean().optional(),
      sms: z.boolean().optional(),
      push: z.boolean().optional(),
    })
    .optional(),
  // The zone of date and schedule triggers for customers whose profile has no valid one
  // (docs/triggers.md §3.12). Left out = UTC (no default: definition hashes stay unchanged).
  timezone: z
    .string()
    .regex(
      /^(UTC|[A-Za-z_]+(\/[A-Za-z0-9_+-]+){1,2})$/,
      'must be an IANA time zone such as "Europe/Berlin" or "UTC"',
    )
    .optional(),
});
export type Policy = z.output<typeof PolicySchema>;
/** A policy as written: every field may be left out (the defaults above apply). */
export type PolicyInput = z.input<typeof PolicySchema>;
