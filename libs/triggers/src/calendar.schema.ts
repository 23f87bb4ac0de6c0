// The profile-driven time patterns of docs/triggers.md §3.12-§3.13: `date` (a date in the
// customer's profile) and `schedule` (a cron expression in the customer's zone). The matcher only
// holds the instants the host computes for them (calendar/instants.ts, Node side).
import { z } from 'zod';
import { cronSyntaxProblem } from './cron-syntax';
import { DurationSchema } from './duration.schema';
import { EventNameSchema } from '@kairos/events';
import { AsNameSchema, PredSchema } from './pred.schema';

const SEGMENT = '[A-Za-z0-9_$@:-]+';

/** A profile path holding the date: a profile field or an attribute, at most 4 fields deep. */
export const DatePathSchema = z
  .string()
  .regex(
    new RegExp(`^profile(\\.${SEGMENT}){1,4}$`),
    'must be a profile path such as "profile.attributes.renewal_at" (at most 4 fields)',
  );

/**
 * A signed calendar offset: `-7d`, `+1w`, `2h`, `-30m`; days and weeks move the local date, hours
 * and minutes the instant (docs/triggers.md §3.12). At most 366 days either way.
 */
export const OffsetSchema = z
  .string()
  .regex(
    /^[+-]?\d{1,6}(m|h|d|w)$/,
    'must be a signed offset: a number followed by m, h, d or w (for example "-7d" or "+2h")',
  )
  .refine((s) => Math.abs(offsetParts(s).ms) <= 366 * 86_400_000, 'must be at most 366 days either way');

const UNIT: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** An offset split into whole calendar days and the rest in milliseconds. */
export function offsetParts(s: string): { days: number; ms: number } {
  const m = /^([+-]?)(\d+)(m|h|d|w)$/.exec(s);
  if (!m) return { days: 0, ms: 0 };
  const sign = m[1] === '-' ? -1 : 1;
  const n = Number(m[2]);
  const unit = m[3] as string;
  if (unit === 'd') return { days: sign * n, ms: sign * n * 86_400_000 };
  if (unit === 'w') return { days: sign * n * 7, ms: sign * n * 604_800_000 };
  return { days: 0, ms: sign * n * (UNIT[unit] as number) };
}

const HhMmSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time "HH:MM" (for example "09:00")');

/** Fires at a local time around a date of the profile, once or every year. */
export const DatePatternSchema = z.strictObject({
  kind: z.literal('date'),
  path: DatePathSchema,
  offset: OffsetSchema.optional(),
  at: HhMmSchema.optional(),
  every: z.enum(['year']).nullable().optional(),
});
export type DatePattern = z.infer<typeof DatePatternSchema>;

/** "Unless this event happened within the last `within`": an atom with a window. */
export const UnlessSchema = z.strictObject({
  kind: z.literal('event'),
  name: EventNameSchema,
  where: PredSchema.optional(),
  as: AsNameSchema.optional(),
  within: DurationSchema,
});
export type Unless = z.infer<typeof UnlessSchema>;

/** A 5-field cron expression, evaluated in the customer's zone. */
export const CronSchema = z.string().superRefine((s, ctx) => {
  const problem = cronSyntaxProblem(s);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

/** Fires at every instant of `cron` in the customer's zone, unless `unless` happened recently. */
export const SchedulePatternSchema = z.strictObject({
  kind: z.literal('schedule'),
  cron: CronSchema,
  unless: UnlessSchema.optional(),
});
export type SchedulePattern = z.infer<typeof SchedulePatternSchema>;

export type CalendarPattern = DatePattern | SchedulePattern;
