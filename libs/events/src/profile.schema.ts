import { z } from 'zod';
import { boundedJsonObject, OPEN_JSON_BOUNDS } from './json-bounds';

function isIanaTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** IANA time zone name, e.g. "Europe/Paris". */
export const TimeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(isIanaTimeZone, { message: 'must be an IANA time zone, e.g. "Europe/Paris"' });

/** Wall-clock time "HH:MM" (24 h). */
export const ClockTimeSchema = z.string().regex(HHMM, 'must be a 24-hour time "HH:MM", e.g. "21:30"');

/**
 * Per-channel consent. A missing channel means no recorded consent: the workspace's
 * `consentDefault` applies, not given unless it says so (docs/api.md §4.4).
 */
export const ConsentSchema = z.strictObject({
  email: z.boolean().optional(),
  sms: z.boolean().optional(),
  push: z.boolean().optional(),
});

/** Hours during which no message is sent, in the customer's time zone; may wrap midnight. */
export const QuietHoursSchema = z.strictObject({ start: ClockTimeSchema, end: ClockTimeSchema });

/**
 * The body of `PUT /v1/customers/{customerId}`: the whole profile (fields left out are cleared),
 * except consent flags, which keep their stored value when left out (docs/api.md §4.4).
 */
export const CustomerProfileSchema = z.strictObject({
  email: z.email('must be an email address').max(254).optional(),
  phone: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number, e.g. "+33612345678"')
    .optional(),
  pushTokens: z.array(z.string().min(1).max(4096)).max(20, 'must hold at most 20 tokens').optional(),
  timezone: TimeZoneSchema.optional(),
  locale: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 locale, e.g. "fr-FR"')
    .optional(),
  consent: ConsentSchema.optional(),
  quietHours: QuietHoursSchema.optional(),
  /** Bounded like event properties: 5 levels deep, 32 KiB of JSON. */
  attributes: boundedJsonObject(OPEN_JSON_BOUNDS).optional(),
});
export type CustomerProfile = z.infer<typeof CustomerProfileSchema>;

/**
 * One model's score on a customer, `scores.<model>` (docs/models.md §5): written by the worker
 * beside the profile, shown by GET /v1/customers/{id}, never set by a PUT.
 */
export const ScoreSchema = z.strictObject({
  value: z.number().min(0).max(1),
  /** When this value was computed (ISO 8601). */
  at: z.string(),
  /** The trained model version that computed it. */
  version: z.int().min(1),
});
export const ScoresSchema = z.record(z.string(), ScoreSchema);
export type Scores = z.infer<typeof ScoresSchema>;

/** The body of `POST /v1/customers/{customerId}/exit`. */
export const ExitRequestSchema = z.strictObject({
  reason: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
});
export type ExitRequest = z.infer<typeof ExitRequestSchema>;
