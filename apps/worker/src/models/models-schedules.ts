// The Temporal Schedules of the models, created or updated by every worker at start (idempotent).
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { parseDuration } from '@kairos/triggers';
import type { ModelDefinition } from '@kairos/models';

/** Schedule ids: `kairos-model-train:<id>` (every `retrain`) and `kairos-model-score:<id>` (every `rescore`). */
export const trainScheduleId = (modelId: string): string => `kairos-model-train:${modelId}`;
export const scoreScheduleId = (modelId: string): string => `kairos-model-score:${modelId}`;

type Plan = {
  scheduleId: string;
  every: number;
  workflowType: string;
  workflowId: string;
  modelId: string;
  first: boolean;
};

async function upsert(client: Client, taskQueue: string, p: Plan): Promise<'created' | 'updated'> {
  const action = {
    type: 'startWorkflow' as const,
    workflowType: p.workflowType,
    workflowId: p.workflowId,
    taskQueue,
    args: [{ v: 1 as const, modelId: p.modelId }],
  };
  const spec = { intervals: [{ every: p.every }] };
  try {
    await client.schedule.create({
      scheduleId: p.scheduleId,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
      // A new model trains at once, so a first start shows a card without waiting a whole interval.
      state: { triggerImmediately: p.first },
    });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(p.scheduleId).update((prev) => ({ ...prev, spec, action }));
    return 'updated';
  }
}

/** Creates or updates the two Schedules of every model; returns what it did per schedule id. */
export async function ensureModelSchedules(
  client: Client,
  taskQueue: string,
  models: readonly ModelDefinition[],
): Promise<Record<string, 'created' | 'updated'>> {
  const out: Record<string, 'created' | 'updated'> = {};
  for (const m of models) {
    const plans: Plan[] = [
      {
        scheduleId: trainScheduleId(m.id),
        every: parseDuration(m.retrain),
        workflowType: 'retrainModelWorkflow',
        workflowId: `model-train:${m.id}`,
        modelId: m.id,
        first: true,
      },
      {
        scheduleId: scoreScheduleId(m.id),
        every: parseDuration(m.rescore),
        workflowType: 'rescoreModelWorkflow',
        workflowId: `model-score:${m.id}`,
        modelId: m.id,
        first: false,
      },
    ];
    for (const p of plans) out[p.scheduleId] = await upsert(client, taskQueue, p);
  }
  return out;
}
