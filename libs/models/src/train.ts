import { performance } from 'node:perf_hooks';
import type { ModelArtifact, ModelCard } from './artifact.schema';
import { buildDesign, resolveSpec, sliceDesign } from './dataset';
import { evaluate } from './evaluation';
import { featureNames } from './feature-set';
import type { CustomerHistory } from './history';
import { fitLogistic, logit, type Design } from './logistic';
import { targetHorizonMs, type ModelDefinition } from './model.schema';
import { scoreRow } from './scoring';
import { timeSplit } from './time-split';

export const LIBRARY =
  'L2 logistic regression by Newton-Raphson, Cholesky solves from ml-matrix; Platt scaling';

/** A trained version before the store decides on it: the card lacks version and decision. */
export type Trained = {
  artifact: ModelArtifact;
  card: Omit<ModelCard, 'version' | 'decision' | 'previous'>;
  /** The holdout cutoff, so the current version can be measured on the same customers. */
  test: number;
};

export class NotEnoughDataError extends Error {}

function describeTarget(def: ModelDefinition): string {
  return 'within' in def.target
    ? `${def.target.event.name} within ${String(def.target.within)}`
    : `no ${def.target.absent.name} for ${String(def.target.for)}`;
}

function scoresOf(a: ModelArtifact, d: Design): Float64Array {
  const out = new Float64Array(d.n);
  for (let i = 0; i < d.n; i += 1) out[i] = scoreRow(a, d.x, i * d.p);
  return out;
}

/** Platt scaling: a one-feature logistic regression on the log-odds of the calibration rows. */
function fitPlatt(model: ModelArtifact['model'], d: Design): ModelArtifact['platt'] {
  if (d.n === 0) return { a: 1, b: 0 };
  const z = new Float64Array(d.n);
  for (let i = 0; i < d.n; i += 1) z[i] = logit(model, d.x, i * d.p);
  const m = fitLogistic({ x: z, y: d.y, n: d.n, p: 1 }, 1e-9);
  const a = m.coef[0]! / m.scale[0]!;
  return { a, b: m.intercept - a * m.mean[0]! };
}

/**
 * Trains a version on `histories` spanning `[start, end)`: a time split (docs/models.md §3),
 * the regression on the older training cutoffs, calibration on the most recent one, and the
 * card's figures on the holdout cutoff.
 */
export function trainModel(
  def: ModelDefinition,
  histories: readonly CustomerHistory[],
  start: number,
  end: number,
): Trained {
  const began = performance.now();
  const horizon = targetHorizonMs(def.target);
  const spec = resolveSpec(def, histories, end - horizon);
  const split = timeSplit(start, end, horizon, spec.observation);
  if (split === null)
    throw new NotEnoughDataError(
      `model "${def.id}": the events span too little time for a time split; it needs about ${Math.ceil((2 * horizon + spec.observation / 2) / 86_400_000)} days`,
    );
  const fitCutoffs = split.train.length > 1 ? split.train.slice(0, -1) : split.train;
  const calCutoff = split.train.length > 1 ? split.train.slice(-1) : [];
  const fitSet = buildDesign(histories, fitCutoffs, spec, def);
  const calSet = buildDesign(histories, calCutoff, spec, def);
  const testSet = buildDesign(histories, [split.test], spec, def);
  if (fitSet.n < 20 || testSet.n < 20)
    throw new NotEnoughDataError(
      `model "${def.id}": only ${fitSet.n} training and ${testSet.n} holdout customers are eligible; it needs at least 20 of each`,
    );
  const model = fitLogistic(fitSet, def.l2);
  const artifact: ModelArtifact = { spec, model, platt: fitPlatt(model, sliceDesign(calSet, 0, calSet.n)) };
  const holdout = evaluate(scoresOf(artifact, testSet), testSet.y);
  const names = featureNames(spec);
  const topFeatures = model.coef
    .map((w, j) => ({ name: names[j]!, weight: Math.round(w * 1000) / 1000 }))
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, 10);
  const examples = fitSet.n + calSet.n;
  const positives = [...fitSet.y, ...calSet.y].reduce((s, v) => s + v, 0);
  const customers = new Set([...fitSet.customerIds, ...calSet.customerIds]).size;
  return {
    artifact,
    test: split.test,
    card: {
      model: def.id,
      definitionVersion: def.version,
      trainedAt: new Date().toISOString(),
      target: describeTarget(def),
      library: LIBRARY,
      train: {
        cutoffs: split.train.map((t) => new Date(t).toISOString()),
        customers,
        examples,
        baseRate: examples === 0 ? 0 : positives / examples,
      },
      holdout: { cutoff: new Date(split.test).toISOString(), ...holdout },
      topFeatures,
      trainingMs: Math.round(performance.now() - began),
    },
  };
}

/** The AUC of another version on a holdout cutoff, with that version's own features. */
export function holdoutAuc(
  artifact: ModelArtifact,
  def: ModelDefinition,
  histories: readonly CustomerHistory[],
  test: number,
): number {
  const d = buildDesign(histories, [test], artifact.spec, def);
  return evaluate(scoresOf(artifact, d), d.y).auc;
}
