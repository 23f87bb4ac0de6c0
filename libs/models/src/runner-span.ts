import { parseDuration } from '@kairos/triggers';
import type { ModelArtifact } from './artifact.schema';
import { targetHorizonMs, type ModelDefinition } from './model.schema';

const DAY = 86_400_000;

/**
 * The events a training reads: up to the last stored event (never past now), back far enough for
 * four weekly training cutoffs, their labels, the holdout and a full observation window.
 */
export function trainingSpan(
  def: ModelDefinition,
  span: { first: Date | null; last: Date | null },
  now: number,
): { start: number; end: number } {
  const last = span.last ? span.last.getTime() + 1 : now;
  const end = Math.min(now, last);
  const horizon = targetHorizonMs(def.target);
  const need = 2 * horizon + 3 * Math.min(7 * DAY, horizon) + parseDuration(def.observation);
  const first = span.first ? span.first.getTime() : end;
  return { start: Math.max(first, end - need), end };
}

export function parseObservation(a: ModelArtifact): number {
  return a.spec.observation;
}
