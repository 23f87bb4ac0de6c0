import { featureNames, type FeatureSpec } from './feature-set';
import { featuresAt } from './features';
import type { CustomerHistory } from './history';
import { eligibleAt, labelAt } from './labels';
import type { Design } from './logistic';
import { targetHorizonMs, type ModelDefinition } from './model.schema';
import { parseDuration } from '@kairos/triggers';

const DAY = 86_400_000;
const DEFAULT_WINDOWS = ['7d', '14d', '28d'];
const MAX_AUTO_NAMES = 12;

/**
 * The feature spec of a definition on this data: the hinted names, or the most frequent names
 * seen before `until` (never after: choosing features must not peek at the holdout either).
 */
export function resolveSpec(
  def: ModelDefinition,
  histories: readonly CustomerHistory[],
  until: number,
): FeatureSpec {
  const observation = parseDuration(def.observation);
  let names = def.features?.events;
  if (names === undefined) {
    const freq = new Map<string, number>();
    for (const h of histories)
      for (const e of h.events) if (e.at < until) freq.set(e.name, (freq.get(e.name) ?? 0) + 1);
    names = [...freq.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, MAX_AUTO_NAMES)
      .map(([n]) => n)
      .sort();
  }
  const windows = (def.features?.windows ?? DEFAULT_WINDOWS)
    .map((w) => parseDuration(w))
    .filter((w) => w <= observation)
    .sort((a, b) => a - b);
  return {
    names: [...names],
    windows: windows.length > 0 ? windows : [Math.min(observation, 7 * DAY)],
    observation,
    valueNames: (def.features?.values ?? []).map((v) => v.event),
  };
}

/** Labelled rows of every eligible customer at each cutoff (features before, labels after it). */
export function buildDesign(
  histories: readonly CustomerHistory[],
  cutoffs: readonly number[],
  spec: FeatureSpec,
  def: ModelDefinition,
): Design & { customerIds: Set<string> } {
  const p = featureNames(spec).length;
  const horizon = targetHorizonMs(def.target);
  const rows: Float64Array[] = [];
  const labels: number[] = [];
  const seen = new Set<string>();
  for (const cutoff of cutoffs)
    for (const h of histories) {
      if (!eligibleAt(h, cutoff, def.target, spec.observation)) continue;
      rows.push(featuresAt(h, cutoff, spec));
      labels.push(labelAt(h, cutoff, def.target, horizon));
      seen.add(h.customerId);
    }
  const x = new Float64Array(rows.length * p);
  rows.forEach((r, i) => x.set(r, i * p));
  return { x, y: Uint8Array.from(labels), n: rows.length, p, customerIds: seen };
}

/** Rows `[from, to)` of a design. */
export function sliceDesign(d: Design, from: number, to: number): Design {
  return { x: d.x.subarray(from * d.p, to * d.p), y: d.y.subarray(from, to), n: to - from, p: d.p };
}
