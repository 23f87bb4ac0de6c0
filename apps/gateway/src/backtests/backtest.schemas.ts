// Request and response shapes of the backtest routes (docs/api.md §11). The studio page codes
// against these types; the OpenAPI document is generated from the same schemas.
import { CustomerIdSchema } from '@kairos/events';
import {
  BacktestEventSchema,
  BacktestResultsSchema,
  EngineConfigSchema,
  TraceEntrySchema,
} from '@kairos/triggers';
import { z } from 'zod';

// The result shapes are shared with the worker and the command line.
export {
  BACKTEST_SAMPLES_PER_TRIGGER,
  BacktestEventSchema,
  BacktestResultsSchema,
  SampleMatchSchema,
  SuppressionsSchema,
  TriggerResultSchema,
} from '@kairos/triggers';
export type {
  BacktestEvent,
  BacktestResults,
  SampleMatch,
  Suppressions,
  TriggerResult,
} from '@kairos/triggers';

const IsoTime = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time with an offset' });

/** Longest range one backtest may cover. */
export const MAX_BACKTEST_RANGE_DAYS = 400;
/** Most triggers one backtest may run. */
export const MAX_BACKTEST_TRIGGERS = 50;
/** Most customers a `customers` list may name. */
export const MAX_BACKTEST_CUSTOMERS = 10_000;

/** A trigger to run: the id of a loaded definition (GET /v1/triggers) or a whole draft definition. */
export const BacktestTriggerRefSchema = z.union([
  z.string().min(1).max(200),
  // Checked by the trigger validator (the same errors as POST /v1/triggers/validate), not here.
  z.record(z.string(), z.unknown()),
]);

/** POST /v1/backtests */
export const BacktestRequestSchema = z
  .strictObject({
    triggers: z
      .array(BacktestTriggerRefSchema)
      .min(1, 'must name at least one trigger (an id of GET /v1/triggers or a definition)')
      .max(MAX_BACKTEST_TRIGGERS, `must hold at most ${MAX_BACKTEST_TRIGGERS} triggers`),
    from: IsoTime,
    to: IsoTime,
    customers: z
      .array(CustomerIdSchema)
      .min(1, 'must name at least one customer, or leave "customers" out to run on all')
      .max(MAX_BACKTEST_CUSTOMERS, `must name at most ${MAX_BACKTEST_CUSTOMERS} customers: use "sample"`)
      .optional(),
    sample: z.int().min(1, 'must be at least 1').max(1_000_000, 'must be at most 1000000').optional(),
    engine: EngineConfigSchema.optional(),
    policy: z.boolean().default(false),
  })
  .superRefine((r, ctx) => {
    const from = Date.parse(r.from);
    const to = Date.parse(r.to);
    if (!(from < to)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after "from"' });
    else if (to - from > MAX_BACKTEST_RANGE_DAYS * 86_400_000)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `the range must be at most ${MAX_BACKTEST_RANGE_DAYS} days: split it into several backtests`,
      });
    if (r.customers !== undefined && r.sample !== undefined)
      ctx.addIssue({ code: 'custom', path: ['sample'], message: 'give "customers" or "sample", not both' });
  });
export type BacktestRequest = z.infer<typeof BacktestRequestSchema>;

/** The `{id}` of the backtest routes. */
export const BacktestIdSchema = z
  .string()
  .regex(/^bt_[0-9a-f]{32}$/, 'must be a backtest id (for example "bt_0f3a...")');

export const BacktestStateSchema = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']);
export type BacktestState = z.infer<typeof BacktestStateSchema>;

/** 202 answer of POST /v1/backtests and of POST /v1/backtests/{id}/cancel. */
export const BacktestAcceptedSchema = z.object({ id: BacktestIdSchema, state: BacktestStateSchema });
export type BacktestAccepted = z.infer<typeof BacktestAcceptedSchema>;

export const BacktestProgressSchema = z.object({
  customersDone: z.int(),
  /** Known once the run has counted the customers of the range. */
  customersTotal: z.int().nullable(),
  eventsDone: z.int(),
  /** 0..1 */
  fraction: z.number(),
});

/** GET /v1/backtests/{id} */
export const BacktestViewSchema = z.object({
  id: BacktestIdSchema,
  state: BacktestStateSchema,
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  request: z.object({
    triggers: z.array(z.object({ id: z.string(), version: z.int(), draft: z.boolean() })),
    from: z.string(),
    to: z.string(),
    customers: z.array(z.string()).optional(),
    sample: z.int().optional(),
    policy: z.boolean(),
  }),
  progress: BacktestProgressSchema,
  /** Running totals while running; final once completed; kept as they were if cancelled. */
  results: BacktestResultsSchema,
  error: z.string().nullable(),
});
export type BacktestView = z.infer<typeof BacktestViewSchema>;

/** One decision of the matcher about a partial match (docs/triggers.md §4), `at` as ISO-8601. */
export const ApiTraceEntrySchema = TraceEntrySchema.extend({ at: z.string() });
export type ApiTraceEntry = z.infer<typeof ApiTraceEntrySchema>;

/** Most entries and events one trace answer holds. */
export const MAX_TRACE_ENTRIES = 5000;

/** GET /v1/backtests/{id}/customers/{customerId}/trace */
export const BacktestTraceSchema = z.object({
  backtestId: BacktestIdSchema,
  customerId: z.string(),
  /** The customer's stored events of the range, in the order the matcher took them. */
  events: z.array(BacktestEventSchema),
  entries: z.array(ApiTraceEntrySchema),
  /** True when the customer had more than MAX_TRACE_ENTRIES events or entries: the first ones are shown. */
  truncated: z.boolean(),
});
export type BacktestTrace = z.infer<typeof BacktestTraceSchema>;

/** GET /v1/customers/{customerId}/journey/trace */
export const JourneyTraceSchema = z.object({
  customerId: z.string(),
  /** The most recent decisions the journey kept (at most 100), oldest first. */
  entries: z.array(ApiTraceEntrySchema),
});
export type JourneyTrace = z.infer<typeof JourneyTraceSchema>;
