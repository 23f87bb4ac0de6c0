import type { FeatureSpec } from './feature-set';
import { firstAtOrAfter, type CustomerHistory } from './history';

const DAY = 86_400_000;

/** A spec prepared for the hot loop: name lookups built once per spec, not once per customer. */
type Compiled = {
  nameIdx: Map<string, number>;
  valueIdx: Map<string, number>;
  windows: Float64Array;
  size: number;
};
const compiled = new WeakMap<FeatureSpec, Compiled>();

function compile(spec: FeatureSpec): Compiled {
  let c = compiled.get(spec);
  if (!c) {
    const W = spec.windows.length;
    const N = spec.names.length;
    c = {
      nameIdx: new Map(spec.names.map((n, i) => [n, i])),
      valueIdx: new Map(spec.valueNames.map((n, i) => [n, i])),
      windows: Float64Array.from(spec.windows),
      size: N * (W + 2) + W + 4 + spec.valueNames.length * W + 2,
    };
    compiled.set(spec, c);
  }
  return c;
}

/**
 * The feature vector of one customer at `cutoff` (epoch ms): only events with
 * `cutoff - observation <= at < cutoff` are read, so nothing at or after the cutoff can leak
 * into it (docs/models.md §2). Counts and sums are log1p-scaled; recencies and gaps in days,
 * capped at the observation window (tenure too: scoring reads no further back).
 */
export function featuresAt(history: CustomerHistory, cutoff: number, spec: FeatureSpec): Float64Array {
  const c = compile(spec);
  const W = c.windows.length;
  const N = spec.names.length;
  const obsDays = spec.observation / DAY;
  const trendW = c.windows[0]!;
  // Slot N holds every event ("*"); slots 0..N-1 the counted names.
  const counts = new Float64Array((N + 1) * W);
  const prev = new Float64Array(N + 1);
  const last = new Float64Array(N + 1).fill(-1);
  const values = new Float64Array(spec.valueNames.length * W);
  let first = -1;
  let total = 0;
  let days = 0;
  let lastDay = -1;
  let opened = 0;
  let delivered = 0;
  const events = history.events;
  const end = firstAtOrAfter(events, cutoff);
  for (let i = firstAtOrAfter(events, cutoff - spec.observation); i < end; i += 1) {
    const e = events[i]!;
    const age = cutoff - e.at;
    const ni = c.nameIdx.get(e.name);
    for (let w = 0; w < W; w += 1)
      if (age <= c.windows[w]!) {
        counts[N * W + w]! += 1;
        if (ni !== undefined) counts[ni * W + w]! += 1;
      }
    if (age > trendW && age <= 2 * trendW) {
      prev[N]! += 1;
      if (ni !== undefined) prev[ni]! += 1;
    }
    last[N] = e.at;
    if (ni !== undefined) last[ni] = e.at;
    const vi = c.valueIdx.get(e.name);
    if (vi !== undefined && e.value !== undefined)
      for (let w = 0; w < W; w += 1) if (age <= c.windows[w]!) values[vi * W + w]! += e.value;
    if (first < 0) first = e.at;
    total += 1;
    const day = Math.floor(e.at / DAY);
    if (day !== lastDay) {
      days += 1;
      lastDay = day;
    }
    if (e.name.endsWith('.opened')) opened += 1;
    else if (e.name.endsWith('.delivered')) delivered += 1;
  }
  const out = new Float64Array(c.size);
  let k = 0;
  const since = (s: number) => (last[s]! < 0 ? obsDays : Math.min(obsDays, (cutoff - last[s]!) / DAY));
  const trend = (s: number) => Math.log1p(counts[s * W]!) - Math.log1p(prev[s]!);
  for (let s = 0; s < N; s += 1) {
    for (let w = 0; w < W; w += 1) out[k++] = Math.log1p(counts[s * W + w]!);
    out[k++] = since(s);
    out[k++] = trend(s);
  }
  for (let w = 0; w < W; w += 1) out[k++] = Math.log1p(counts[N * W + w]!);
  out[k++] = since(N);
  out[k++] = total >= 2 ? Math.min(obsDays, (last[N]! - first) / DAY / (total - 1)) : obsDays;
  out[k++] = days;
  out[k++] = trend(N);
  for (const v of values) out[k++] = Math.sign(v) * Math.log1p(Math.abs(v));
  out[k++] = delivered > 0 ? opened / delivered : 0;
  // From the record's creation or the first event in the window, whichever is earlier: the
  // same for training and scoring, which read different spans of history.
  const known = Math.min(history.since, first >= 0 ? first : Infinity);
  out[k++] = Number.isFinite(known) ? Math.min(obsDays, Math.max(0, cutoff - known) / DAY) : 0;
  return out;
}
