// Backtests (docs/api.md §11): the gateway starts and cancels the workflow, the worker runs it.
import { z } from 'zod';

/** Workflow type name of a backtest. */
export const BACKTEST_WORKFLOW_TYPE = 'backtestWorkflow';

/** The id of a backtest's workflow. */
export function backtestWorkflowId(backtestId: string): string {
  return `backtest:${backtestId}`;
}

/** Input of the backtest workflow; everything else is read from the `backtests` row. */
export const BacktestInputSchema = z.object({ v: z.literal(1), backtestId: z.string() });
export type BacktestInput = z.infer<typeof BacktestInputSchema>;
