// The workflows the models' Schedules start (docs/models.md §3, §5): one activity each, so a
// run's history says when a model was trained or scored and with what result.
import { proxyActivities } from '@temporalio/workflow';
import type { ModelActivities, ScoreSummary, TrainSummary } from '../../models/models.activities';

/** Input of both model workflows; `v` versions it. */
export type ModelWorkflowInput = { v: 1; modelId: string };

const { trainModel } = proxyActivities<ModelActivities>({
  // Training reads every recent event: minutes on a large store, never hours.
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 minute', maximumAttempts: 3 },
});
const { scoreModel } = proxyActivities<ModelActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', maximumAttempts: 3 },
});

export async function retrainModelWorkflow(input: ModelWorkflowInput): Promise<TrainSummary> {
  return await trainModel(input.modelId);
}

export async function rescoreModelWorkflow(input: ModelWorkflowInput): Promise<ScoreSummary> {
  return await scoreModel(input.modelId);
}
