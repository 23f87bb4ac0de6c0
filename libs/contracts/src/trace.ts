// Why and why not (docs/triggers.md §4 "Traces"): the decisions the matcher took about partial
// matches. The engine produces them (libs/triggers), the journey keeps the recent ones and
// answers `journeyTraceQuery`, backtests compute them for one customer; the gateway serves both.
import { defineQuery } from '@temporalio/workflow';
import { z } from 'zod';

export const TraceKindSchema = z.enum(['opened', 'advanced', 'killed', 'completed']);
export const KillCauseSchema = z.enum(['negative', 'window', 'strict', 'eviction', 'superseded']);
/** Why a completed match was suppressed: the engine's reasons, then the workspace policy's (backtests). */
export const SuppressionReasonSchema = z.enum([
  'arbitration',
  'reentry',
  'caps',
  'quietHours',
  'minimumGap',
  'consent',
]);

/** One decision of the matcher about a partial match, times in epoch ms. */
export const TraceEntrySchema = z.object({
  /** Time of the event or deadline that caused it. */
  at: z.number(),
  kind: TraceKindSchema,
  triggerId: z.string(),
  key: z.string(),
  /** Serial of the partial match within the trigger; null for one-step and inactivity matches. */
  partial: z.int().nullable(),
  /** Index of the step bound (opened, advanced) or awaited (killed); null for completed. */
  step: z.int().nullable(),
  /** The event that caused the decision (null for a deadline or an eviction without one). */
  eventId: z.string().nullable(),
  /** Events bound so far, in step order. */
  eventIds: z.array(z.string()),
  /** Why a partial match ended (killed only). */
  cause: KillCauseSchema.optional(),
  /** The section of docs/triggers.md that decided, e.g. "§3.6". */
  rule: z.string(),
  /** completed only: the match and its outcome. */
  match: z
    .object({
      matchId: z.string(),
      status: z.enum(['fired', 'suppressed']),
      reason: SuppressionReasonSchema.optional(),
    })
    .optional(),
});
export type TraceEntry = z.infer<typeof TraceEntrySchema>;
export type TraceKind = z.infer<typeof TraceKindSchema>;
export type KillCause = z.infer<typeof KillCauseSchema>;
export type SuppressionReason = z.infer<typeof SuppressionReasonSchema>;

/** Decisions a journey keeps (the most recent), across continue-as-new. */
export const JOURNEY_TRACE_LIMIT = 100;

/** The journey's recent decisions, oldest first (GET /v1/customers/{id}/journey/trace). */
export const journeyTraceQuery = defineQuery<TraceEntry[]>('kairos.journeyTrace');
