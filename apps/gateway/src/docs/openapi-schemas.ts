import { z } from 'zod';
import { CustomerProfileSchema } from '@kairos/events';

// Response bodies of the core routes as the OpenAPI document describes them (docs/api.md).

export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
const EventStatusSchema = z.enum(['accepted', 'duplicate', 'ignored']);
export const EventResultSchema = z.object({
  id: z.string(),
  status: EventStatusSchema,
  workflowId: z.string(),
});
export const BatchResultSchema = z.object({
  results: z.array(
    z.object({
      index: z.int(),
      id: z.string().nullable(),
      status: z.enum(['accepted', 'duplicate', 'ignored', 'rejected']),
      workflowId: z.string().optional(),
      error: ProblemSchema.optional(),
      retryAfter: z.int().optional().describe('seconds, for items rejected with 429 or 503'),
    }),
  ),
});
export const CustomerViewSchema = CustomerProfileSchema.extend({
  customerId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const PutCustomerResultSchema = CustomerViewSchema.extend({
  journey: z.enum(['signalled', 'no-journey']),
});
export const ExitResultSchema = z.object({
  customerId: z.string(),
  workflowId: z.string(),
  status: z.enum(['signalled', 'no-journey']),
});
export const JourneyViewSchema = z.object({
  customerId: z.string(),
  workflowId: z.string(),
  stage: z.string(),
  recentEvents: z.array(z.object({ id: z.string(), name: z.string(), occurredAt: z.string() })),
  partialMatches: z.array(
    z.object({
      triggerId: z.string(),
      key: z.string(),
      startedAt: z.string(),
      deadline: z.string().nullable(),
    }),
  ),
  pendingResponses: z.array(
    z.object({ matchId: z.string(), triggerId: z.string(), runAt: z.string(), channel: z.string() }),
  ),
  history: z.array(
    z.object({
      matchId: z.string(),
      triggerId: z.string(),
      at: z.string(),
      status: z.string(),
      reason: z.string().optional(),
      channel: z.string().optional(),
    }),
  ),
  counters: z.object({ events: z.int(), duplicates: z.int(), late: z.int() }),
  /** Date and schedule triggers (docs/triggers.md §3.12): pending instant, or why none. */
  timeTriggers: z
    .array(
      z.object({
        triggerId: z.string(),
        kind: z.enum(['date', 'schedule']),
        pendingAt: z.string().nullable(),
        lastAt: z.string().nullable(),
        note: z.string().optional(),
      }),
    )
    .optional(),
});
const PathErrorSchema = z.object({ path: z.string(), message: z.string() });
export const TriggerListSchema = z.object({
  triggers: z.array(z.object({ id: z.string(), version: z.int(), enabled: z.boolean(), hash: z.string() })),
  eventNames: z.array(z.string()),
  errors: z.array(PathErrorSchema),
});
export const ValidateResultSchema = z.object({
  valid: z.boolean(),
  errors: z.array(PathErrorSchema),
  /** Legal but suspicious (docs/triggers.md §2.8); never makes a definition invalid. */
  warnings: z.array(PathErrorSchema),
});
export const ReadySchema = z.object({
  status: z.literal('ok'),
  temporal: z.literal('up'),
  postgres: z.literal('up'),
  definitions: z
    .object({
      status: z.enum(['match', 'mismatch', 'unknown']),
      gateway: z.string().nullable().describe("hash of the gateway's trigger set"),
      workers: z.array(z.object({ hash: z.string(), workers: z.int() })).describe('live workers by hash'),
    })
    .describe('trigger definitions of this gateway against the live workers (information only)'),
});
