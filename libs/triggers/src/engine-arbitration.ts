// Arbitration (docs/triggers.md §3.9): immediate or ranked hold, groups, dropLower; then
// re-entry (§3.10) on the winners.
import type { CTrigger } from './compile';
import type { EngineCore } from './engine-core';
import { arbitrationOrder, type Cand } from './engine-helpers';
import type { MatchOutput, Output, TriggerState } from './engine.types';

/** Held ranked candidates beyond this close the rank window early (keeps state bounded). */
export const MAX_RANKED_HELD = 16;

export function arbitrate(eng: EngineCore, cands: Cand[], now: number, out: Output[]): void {
  if (eng.config.arbitration === 'immediate') {
    resolve(eng, cands, out);
    return;
  }
  for (const c of cands) eng.held.push(c.m);
  if (eng.rankClose === null) {
    eng.rankClose = now + eng.config.rankWindow;
    eng.addTimer({ d: eng.rankClose, ti: -1, k: '', n: -1 });
  }
  if (eng.held.length > MAX_RANKED_HELD) {
    // Bounded state: close the window early rather than grow.
    eng.st.evictions.ranked++;
    eng.removeTimer(eng.rankClose, -1, '', -1);
    closeRankWindow(eng, out);
  }
}

/** Ends the rank window: every held candidate is arbitrated now. */
export function closeRankWindow(eng: EngineCore, out: Output[]): void {
  eng.rankClose = null;
  const held = eng.held;
  eng.held = [];
  resolve(
    eng,
    held.map((m) => ({ m, ti: eng.indexOf(m.triggerId) })),
    out,
  );
}

/** Arbitration of one evaluation step (or one rank window), then re-entry on winners. */
function resolve(eng: EngineCore, cands: Cand[], out: Output[]): void {
  const sorted = arbitrationOrder(cands);
  const groupWon: Record<string, true> = {};
  let dropAbove = -Infinity;
  for (const { m, ti } of sorted) {
    const T = eng.set.triggers[ti];
    if (m.group !== undefined && groupWon[m.group]) {
      m.status = 'suppressed';
      m.reason = 'group';
    } else if (m.priority < dropAbove) {
      m.status = 'suppressed';
      m.reason = 'dropLower';
    } else {
      if (m.group !== undefined) groupWon[m.group] = true;
      if (T?.dropLower) dropAbove = Math.max(dropAbove, m.priority);
      if (T && !reentryAllows(eng, T, m)) {
        m.status = 'suppressed';
        m.reason = 'reentry';
      } else m.status = 'fired';
    }
    if (m.status === 'fired') eng.st.fired++;
    else eng.st.suppressed++;
    eng.obs?.decided(m);
    out.push(m);
  }
}

function reentryAllows(eng: EngineCore, T: CTrigger, m: MatchOutput): boolean {
  const tstate = eng.ts[T.index] as TriggerState;
  let holder: { f?: number } = tstate;
  if (T.reentryScope === 'key') holder = eng.keyState(T.index, m.key, m.matchedAt, -1);
  const last = holder.f;
  // Re-entry runs in workflow time (docs/triggers.md §3.10): the instant a winner is emitted
  // (the arrival clock), not its matchedAt, so a ranked hold or a buffered release counts
  // from its release. The arrival clock is a function of the input: replay stays deterministic.
  const emittedAt = eng.arrival ?? m.matchedAt;
  let ok = true;
  if (T.reentryMode === 'once') ok = last === undefined;
  else if (T.reentryMode === 'cooldown') ok = last === undefined || emittedAt >= last + T.cooldown;
  if (ok && T.reentryMode !== 'always') holder.f = emittedAt;
  return ok;
}
