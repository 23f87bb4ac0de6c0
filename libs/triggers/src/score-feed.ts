// What a host (the journey) needs to feed scores to the matcher (docs/triggers.md §3.14): which
// models the trigger set reads, and the `kairos.score` event one score change becomes.
import { SCORE_EVENT } from './score.schema';
import type { Pattern, Trigger } from './trigger.schema';

type Node = Pattern | { kind: string; of?: unknown[]; node?: unknown; model?: string };

function collect(n: Node, out: Record<string, true>): void {
  if (n.kind === 'score' && 'model' in n && typeof n.model === 'string') out[n.model] = true;
  if ('of' in n && Array.isArray(n.of)) for (const c of n.of) collect(c as Node, out);
  if (n.kind === 'seq' && 'steps' in n) for (const s of n.steps) if (s.kind === 'step') collect(s.node, out);
}

/** The models the enabled triggers' score patterns read, sorted (empty: nothing to feed). */
export function scoreModels(triggers: readonly Trigger[]): string[] {
  const out: Record<string, true> = {};
  for (const t of triggers) if (t.enabled !== false) collect(t.pattern, out);
  return Object.keys(out).sort();
}

/** A stored score, `scores.<model>` of the profile. */
export type StoredScoreValue = { value: number; at: string; version: number };

/**
 * The `kairos.score` event of one score change: id `score:<model>:<version>:<at ms>:<value>` (the
 * same score always gives the same id, so a repeat is a duplicate), event time the score's `at`
 * (never after `now`), received `now`.
 */
export function scoreEvent(
  model: string,
  score: StoredScoreValue,
  now: number,
): { id: string; name: string; ts: number; receivedAt: number; properties: Record<string, unknown> } {
  const at = Date.parse(score.at);
  const ts = Number.isFinite(at) ? Math.min(at, now) : now;
  return {
    id: `score:${model}:${score.version}:${Number.isFinite(at) ? at : now}:${score.value}`,
    name: SCORE_EVENT,
    ts,
    receivedAt: now,
    properties: { model, value: score.value, version: score.version },
  };
}
