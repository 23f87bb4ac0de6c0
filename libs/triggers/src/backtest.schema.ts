// Results of a backtest (docs/api.md §11): the same shape from the API, the worker and the
// command line.
import { z } from 'zod';
import { SuppressionReasonSchema } from './trace.schema';

/** Sample matches kept per trigger. */
export const BACKTEST_SAMPLES_PER_TRIGGER = 20;

/** Why completed matches did not fire. Without `policy`, the last four stay 0. */
export const SuppressionsSchema = z.object({
  arbitration: z.int(),
  reentry: z.int(),
  caps: z.int(),
  quietHours: z.int(),
  minimumGap: z.int(),
  consent: z.int(),
});
export type Suppressions = z.infer<typeof SuppressionsSchema>;

/** A stored event; `properties` only in sample matches. */
export const BacktestEventSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Event time, ISO-8601 UTC. */
  ts: z.string(),
  properties: z.record(z.string(), z.unknown()).optional(),
});
export type BacktestEvent = z.infer<typeof BacktestEventSchema>;

export const SampleMatchSchema = z.object({
  customerId: z.string(),
  matchId: z.string(),
  /** The match's kind (docs/triggers.md §3.11): "event", "absence", or a date/schedule kind. */
  kind: z.string(),
  key: z.string(),
  matchedAt: z.string(),
  status: z.enum(['fired', 'suppressed']),
  reason: SuppressionReasonSchema.optional(),
  bindings: z.record(z.string(), z.array(z.string())),
  /** The bound events, in step order. */
  events: z.array(BacktestEventSchema),
});
export type SampleMatch = z.infer<typeof SampleMatchSchema>;

export const TriggerResultSchema = z.object({
  triggerId: z.string(),
  version: z.int(),
  /** Completed matches that would have fired (after every suppression). */
  matches: z.int(),
  suppressed: SuppressionsSchema,
  /** Customers with at least one fired match. */
  customersMatched: z.int(),
  /** Fired matches per UTC day of `matchedAt`, every day of the range, oldest first. */
  perDay: z.array(z.object({ day: z.string(), matches: z.int() })),
  /** Up to 20 matches (fired and suppressed), first customers first. */
  samples: z.array(SampleMatchSchema),
});
export type TriggerResult = z.infer<typeof TriggerResultSchema>;

export const BacktestResultsSchema = z.object({
  /** Stored events read in the range. */
  events: z.int(),
  customers: z.int(),
  /** Events the matcher dropped: repeated ids, too late, malformed. */
  duplicates: z.int(),
  late: z.int(),
  rejected: z.int(),
  triggers: z.array(TriggerResultSchema),
});
export type BacktestResults = z.infer<typeof BacktestResultsSchema>;

/**
 * A backtest as stored for its run (the `backtests.spec` column, the command line builds the
 * same): definitions in full (ids already resolved), validated again by whoever runs it.
 */
export const BacktestJobSpecSchema = z.object({
  triggers: z.array(z.unknown()).min(1),
  engine: z.record(z.string(), z.unknown()).optional(),
  /** Range on the received time, epoch ms: [from, to). */
  from: z.int(),
  to: z.int(),
  customers: z.array(z.string()).optional(),
  sample: z.int().optional(),
  /** The workspace policy (a parsed policy.json) when `policy: true`, else null. */
  policy: z.unknown().nullable(),
});
export type BacktestJobSpec = z.infer<typeof BacktestJobSpecSchema>;
