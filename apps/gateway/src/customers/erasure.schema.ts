import { z } from 'zod';

/** The answer of DELETE /v1/customers/{id} (docs/api.md §4.5): what this call removed. */
export const ErasureResultSchema = z.object({
  customerId: z.string(),
  status: z.literal('erased'),
  /**
   * Rows deleted per table; only tables that had some (empty when already erased). `backtests`
   * counts backtests whose result samples named the customer: the samples are removed, the row kept.
   */
  rows: z.record(z.string(), z.int().min(0)),
  /** Outbox files `<deliveryId>.json` deleted. */
  files: z.int().min(0),
  /** Temporal workflow runs of `customer:<id>` deleted (a running one terminated first). */
  workflowRuns: z.int().min(0),
  erasedAt: z.iso.datetime(),
});
export type ErasureView = z.infer<typeof ErasureResultSchema>;
