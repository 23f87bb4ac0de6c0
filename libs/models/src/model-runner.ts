import type { Pool } from 'pg';
import { ModelEventsRepository, ModelScoresRepository, ModelVersionsRepository } from '@kairos/persistence';
import { ModelArtifactSchema, type ModelArtifact, type ModelCard } from './artifact.schema';
import { eventReader } from './event-reader';
import type { CustomerHistory } from './history';
import { parseObservation, trainingSpan } from './runner-span';
import type { ModelDefinition } from './model.schema';
import { roundScore, scoreCustomer } from './scoring';
import { BATCH, readHistories } from './store-histories';
import { holdoutAuc, trainModel } from './train';

/** What training and scoring need: the pool, and who tells journeys that a score moved. */
export type ModelRunnerDeps = {
  pool: Pool;
  /** Signals the journeys of customers whose score changed (the worker: profileChanged). */
  notify?: (customerIds: string[]) => Promise<void>;
  now?: () => number;
};

export type TrainOutcome = { card: ModelCard; promoted: boolean; scored: number; changed: number };
export type ScoreOutcome = { version: number | null; scored: number; changed: number };

const repos = (pool: Pool) => ({
  events: new ModelEventsRepository(pool),
  scores: new ModelScoresRepository(pool),
  versions: new ModelVersionsRepository(pool),
});

/**
 * Trains a new version from the stored events, stores it with its card, promotes it only when it
 * is not worse on the holdout than the current version (measured on the same customers), then
 * scores every customer with recent events (docs/models.md §3, §5).
 */
export async function trainAndStore(def: ModelDefinition, deps: ModelRunnerDeps): Promise<TrainOutcome> {
  const r = repos(deps.pool);
  const now = (deps.now ?? Date.now)();
  const span = await r.events.span();
  const { start, end } = trainingSpan(def, span, now);
  const ids = await r.events.customersActive(new Date(start), new Date(end));
  const histories: CustomerHistory[] = [];
  for await (const batch of readHistories(r.events, ids, start, end, eventReader(def)))
    histories.push(...batch);
  const trained = trainModel(def, histories, start, end);
  const current = await r.versions.current(def.id);
  const previous = current
    ? {
        version: current.version,
        auc: holdoutAuc(ModelArtifactSchema.parse(current.artifact), def, histories, trained.test),
      }
    : undefined;
  // Compared at four decimals: a retraining on the same data is "not worse".
  const promoted = previous === undefined || round4(trained.card.holdout.auc) >= round4(previous.auc);
  let card: ModelCard | undefined;
  await r.versions.add(def.id, def.version, promoted, (version) => {
    card = {
      ...trained.card,
      version,
      decision: promoted ? 'promoted' : 'kept-previous',
      ...(previous ? { previous } : {}),
    };
    return { card, artifact: trained.artifact };
  });
  // Everyone recent is scored from the histories already in memory (they hold the whole
  // observation window before now); events that arrive meanwhile wait for the next rescore.
  const scorer = promoted
    ? { version: (await r.versions.current(def.id))!.version, artifact: trained.artifact }
    : { version: current!.version, artifact: ModelArtifactSchema.parse(current!.artifact) };
  const recent = histories.filter((h) =>
    h.events.some((e) => e.at >= now - scorer.artifact.spec.observation),
  );
  const scored = await storeScores(def, deps, recent, scorer, now);
  await r.scores.setMark(def.id, new Date(now));
  return { card: card!, promoted, scored: scored.scored, changed: scored.changed };
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

/** Scores histories at `now`, stores what moved and notifies those journeys, a batch at a time. */
async function storeScores(
  def: ModelDefinition,
  deps: ModelRunnerDeps,
  histories: readonly CustomerHistory[],
  current: { version: number; artifact: ModelArtifact },
  now: number,
): Promise<{ scored: number; changed: number }> {
  const scores = new ModelScoresRepository(deps.pool);
  let changed = 0;
  for (let i = 0; i < histories.length; i += BATCH) {
    const values = histories.slice(i, i + BATCH).map((h) => ({
      customerId: h.customerId,
      value: roundScore(scoreCustomer(current.artifact, h, now)),
    }));
    const moved = await scores.write(def.id, current.version, new Date(now), values);
    changed += moved.length;
    if (moved.length > 0 && deps.notify) await deps.notify(moved);
  }
  return { scored: histories.length, changed };
}

/** Scores `ids` with the current version and stores what moved; notifies their journeys. */
async function scoreIds(
  def: ModelDefinition,
  deps: ModelRunnerDeps,
  ids: readonly string[],
  current: { version: number; artifact: ModelArtifact },
  now: number,
): Promise<{ scored: number; changed: number }> {
  const r = repos(deps.pool);
  const from = now - current.artifact.spec.observation;
  let scored = 0;
  let changed = 0;
  for await (const batch of readHistories(r.events, ids, from, now, eventReader(def))) {
    const out = await storeScores(def, deps, batch, current, now);
    scored += out.scored;
    changed += out.changed;
  }
  return { scored, changed };
}

async function currentOf(
  def: ModelDefinition,
  pool: Pool,
): Promise<{ version: number; artifact: ModelArtifact } | null> {
  const row = await new ModelVersionsRepository(pool).current(def.id);
  return row ? { version: row.version, artifact: ModelArtifactSchema.parse(row.artifact) } : null;
}

/** Scores every customer with an event in the observation window (after a training). */
export async function scoreAll(def: ModelDefinition, deps: ModelRunnerDeps): Promise<ScoreOutcome> {
  const now = (deps.now ?? Date.now)();
  const current = await currentOf(def, deps.pool);
  if (!current) return { version: null, scored: 0, changed: 0 };
  const r = repos(deps.pool);
  const ids = await r.events.customersActive(
    new Date(now - parseObservation(current.artifact)),
    new Date(now),
  );
  const out = await scoreIds(def, deps, ids, current, now);
  await r.scores.setMark(def.id, new Date(now));
  return { version: current.version, ...out };
}

/**
 * Between trainings: scores only the customers with events received since the last pass, so a
 * customer whose features did not move costs nothing; the rest of the stored scores stand.
 */
export async function scoreRecent(def: ModelDefinition, deps: ModelRunnerDeps): Promise<ScoreOutcome> {
  const now = (deps.now ?? Date.now)();
  const current = await currentOf(def, deps.pool);
  if (!current) return { version: null, scored: 0, changed: 0 };
  const r = repos(deps.pool);
  const mark = await r.scores.mark(def.id);
  if (mark === null) return scoreAll(def, deps);
  // A minute of overlap: an event stamped before the last pass but committed after it still
  // counts (rescoring a customer twice costs one comparison, no write).
  const ids = await r.events.customersReceived(new Date(mark.getTime() - 60_000), new Date(now));
  const out = await scoreIds(def, deps, ids, current, now);
  await r.scores.setMark(def.id, new Date(now));
  return { version: current.version, ...out };
}
