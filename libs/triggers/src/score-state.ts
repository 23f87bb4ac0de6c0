// The matcher's side of score patterns (docs/triggers.md §3.14): each score atom is armed until a
// `kairos.score` event crosses its threshold, which it then qualifies for once; it re-arms only when
// the score moves back beyond the hysteresis band. The disarmed atoms live in the saved state.
import type { CPred, CTrigger } from './compile';
import type { TriggerState } from './engine.types';

/** A compiled score atom: its trigger atom index and its two conditions on the event. */
export type CScore = { ta: number; fire: CPred; rearm: CPred };

/**
 * Applies one `kairos.score` event to the trigger's score atoms, in atom order, and returns the
 * atoms it crosses (the event qualifies for those only). `test` evaluates a condition on the event.
 */
export function scoreCrossings(T: CTrigger, t: TriggerState, test: (c: CPred) => boolean): number[] {
  const hits: number[] = [];
  for (const s of T.scores) {
    const disarmed = t.h?.includes(s.ta) === true;
    if (!disarmed && test(s.fire)) {
      hits.push(s.ta);
      t.h = [...(t.h ?? []), s.ta].sort((a, b) => a - b);
    } else if (disarmed && test(s.rearm)) {
      const rest = (t.h ?? []).filter((ta) => ta !== s.ta);
      if (rest.length > 0) t.h = rest;
      else delete t.h;
    }
  }
  return hits;
}
