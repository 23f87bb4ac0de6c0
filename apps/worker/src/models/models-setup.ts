// The worker's part of the predictive models: their activities, and their Schedules at start.
import { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import type { Pool } from 'pg';
import { loadModelDir, modelsDirOf, type ModelDefinition } from '@kairos/models';
import { createModelActivities, type ModelActivities } from './models.activities';
import { ensureModelSchedules } from './models-schedules';

export type ModelsSetupOptions = {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  pool: Pool;
  /** KAIROS_TRIGGERS_DIR: its `models/` folder holds the definitions. */
  triggersDir?: string;
  /** Explicit definitions (tests); default: loaded from `triggersDir`. */
  models?: readonly ModelDefinition[];
};

export type ModelsSetup = {
  models: readonly ModelDefinition[];
  activities: ModelActivities;
  /** Creates or updates the Schedules (after the worker exists, so their first run finds it). */
  schedule(warn: (m: string) => void): Promise<void>;
};

/** Loads the models (invalid files stop the worker, like invalid triggers) and builds their activities. */
export function setupModels(o: ModelsSetupOptions): ModelsSetup {
  let models: readonly ModelDefinition[] = o.models ?? [];
  if (o.models === undefined && o.triggersDir !== undefined) {
    const dir = modelsDirOf(o.triggersDir);
    const r = loadModelDir(dir);
    if (r.errors.length > 0)
      throw new Error(
        `KAIROS_TRIGGERS: ${dir} has invalid models:\n${r.errors.map((e) => `  ${e.file} ${e.path} ${e.message}`).join('\n')}`,
      );
    models = r.models;
  }
  const client = new Client({ connection: o.connection, namespace: o.namespace });
  return {
    models,
    activities: createModelActivities({ pool: o.pool, models: () => models, client }),
    async schedule(warn) {
      if (models.length === 0) return;
      try {
        await ensureModelSchedules(client, o.taskQueue, models);
      } catch (err) {
        // A server without Schedules (the time-skipping test server) still runs journeys.
        warn(`model schedules were not set up: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  };
}
