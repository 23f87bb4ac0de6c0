import type { ModelArtifact } from './artifact.schema';
import { featuresAt } from './features';
import type { CustomerHistory } from './history';
import { logit } from './logistic';

/** The calibrated probability of a feature row. */
export function scoreRow(a: ModelArtifact, row: ArrayLike<number>, offset = 0): number {
  const t = a.platt.a * logit(a.model, row, offset) + a.platt.b;
  return 1 / (1 + Math.exp(-t));
}

/** A customer's score in [0, 1] at `at` (epoch ms), from its events before `at`. */
export function scoreCustomer(a: ModelArtifact, history: CustomerHistory, at: number): number {
  return scoreRow(a, featuresAt(history, at, a.spec));
}

/** Scores as stored: three decimals, so a change below 0.0005 is no change (docs/models.md §5). */
export function roundScore(p: number): number {
  return Math.round(p * 1000) / 1000;
}
