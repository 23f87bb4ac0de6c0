// Training and scoring of the predictive models (docs/models.md), run by the worker's Schedules.
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import {
  NotEnoughDataError,
  notifyJourneys,
  scoreRecent,
  trainAndStore,
  type ModelDefinition,
  type ModelRunnerDeps,
} from '@kairos/models';

export type ModelActivityDeps = {
  pool: Pool;
  /** The definitions of KAIROS_TRIGGERS_DIR/models loaded at start. */
  models: () => readonly ModelDefinition[];
  /** Signals journeys whose customer's score moved; none in tests that only store. */
  client?: Client;
  /** The clock features and scores are computed at (tests fix it: a score depends on recency). */
  now?: () => number;
};

/** What a training run did, as its workflow result (shown in the Web UI). */
export type TrainSummary =
  | {
      model: string;
      version: number;
      decision: string;
      auc: number;
      lift: number;
      scored: number;
      changed: number;
    }
  | { model: string; skipped: string };
export type ScoreSummary =
  | { model: string; version: number | null; scored: number; changed: number }
  | { model: string; skipped: string };

export function createModelActivities(deps: ModelActivityDeps) {
  const runner = (): ModelRunnerDeps => ({
    pool: deps.pool,
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.client
      ? { notify: async (ids: string[]) => void (await notifyJourneys(deps.client!, ids, Date.now())) }
      : {}),
  });
  const find = (id: string) => deps.models().find((m) => m.id === id);
  return {
    /** Trains, stores the version (promoted only if not worse) and scores everyone recent. */
    async trainModel(modelId: string): Promise<TrainSummary> {
      const def = find(modelId);
      if (!def)
        return { model: modelId, skipped: 'no such model in KAIROS_TRIGGERS_DIR/models on this worker' };
      try {
        const r = await trainAndStore(def, runner());
        return {
          model: modelId,
          version: r.card.version,
          decision: r.card.decision,
          auc: r.card.holdout.auc,
          lift: r.card.holdout.liftAtTop10,
          scored: r.scored,
          changed: r.changed,
        };
      } catch (err) {
        // Too little history is a state, not a fault: the next scheduled run tries again.
        if (err instanceof NotEnoughDataError) return { model: modelId, skipped: err.message };
        throw err;
      }
    },
    /** Scores the customers with events since the last pass (docs/models.md §5). */
    async scoreModel(modelId: string): Promise<ScoreSummary> {
      const def = find(modelId);
      if (!def)
        return { model: modelId, skipped: 'no such model in KAIROS_TRIGGERS_DIR/models on this worker' };
      return { model: modelId, ...(await scoreRecent(def, runner())) };
    },
  };
}
export type ModelActivities = ReturnType<typeof createModelActivities>;
