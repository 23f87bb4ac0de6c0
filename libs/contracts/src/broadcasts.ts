// Broadcasts (docs/api.md "Broadcasts"): one external event fanned out to an audience by one
// workflow. The gateway starts and cancels it; the worker runs it; both read these definitions.
import { defineQuery } from '@temporalio/workflow';
import { z } from 'zod';

/** Workflow type name of a broadcast. */
export const BROADCAST_WORKFLOW_TYPE = 'broadcastWorkflow';

/** Query name of a broadcast's progress. */
export const BROADCAST_QUERY = 'kairos.broadcast';

/** The id of a broadcast's workflow: one per broadcast, so a repeated POST finds it. */
export function broadcastWorkflowId(broadcastId: string): string {
  return `broadcast:${broadcastId}`;
}

/**
 * The event id a broadcast gives each customer's copy: the same on every redelivery, so the
 * journey's dedupe and the journey_events primary key (customer, event id) drop a second copy.
 */
export function broadcastEventId(broadcastId: string): string {
  return `broadcast:${broadcastId}`;
}

/** Input of the broadcast workflow; everything else is read from the `broadcasts` row. */
export const BroadcastInputSchema = z.object({ v: z.literal(1), broadcastId: z.string() });
export type BroadcastInput = z.infer<typeof BroadcastInputSchema>;

export const BROADCAST_STATES = ['running', 'completed', 'cancelled'] as const;
export const BroadcastStateSchema = z.enum(BROADCAST_STATES);
export type BroadcastState = z.infer<typeof BroadcastStateSchema>;

/**
 * Where a broadcast stands: customers selected so far (`matched`), handed to their journey
 * (`delivered`), left out because they have no journey and the broadcast starts none
 * (`skipped`), refused by Temporal for good (`failed`).
 */
export const BroadcastProgressSchema = z.object({
  state: BroadcastStateSchema,
  matched: z.number().int(),
  delivered: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
});
export type BroadcastProgress = z.infer<typeof BroadcastProgressSchema>;

/** The progress of a running broadcast (Temporal Web UI, `temporal workflow query`). */
export const broadcastQuery = defineQuery<BroadcastProgress>(BROADCAST_QUERY);

/** One line for the Web UI: what the broadcast has done so far. */
export function broadcastSummary(name: string, p: BroadcastProgress): string {
  return `Broadcast ${name}: ${p.state}, matched ${p.matched}, delivered ${p.delivered}, skipped ${p.skipped}, failed ${p.failed}`;
}
