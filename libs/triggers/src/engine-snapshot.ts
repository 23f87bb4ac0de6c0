// Saved state (docs/triggers.md §4): the snapshot as plain JSON, restoring from one (runtime
// indexes rebuilt), and the open partial matches shown by the journey query.
import type { EngineCore } from './engine-core';
import { NO_KEYS, strCmp } from './engine-helpers';
import type { EngineState, KeyState, PartialMatchView, TriggerState } from './engine.types';
import { TriggerError } from './errors';

/** The full state as plain JSON. */
export function snapshotState(eng: EngineCore): EngineState {
  const triggers: Record<string, TriggerState> = {};
  const order = eng.set.triggers.map((t, i) => [t.id, i] as const).sort((a, b) => strCmp(a[0], b[0]));
  for (const [id, i] of order) {
    const t = eng.ts[i] as TriggerState;
    const keys = eng.keys[i] ?? NO_KEYS;
    // A plain object (JSON.stringify is slow on null-prototype ones); `__proto__` must be
    // defined, not assigned, to stay an own key.
    const k: Record<string, KeyState> = {};
    for (const key of [...keys.keys()].sort()) {
      const ks = keys.get(key) as KeyState;
      if (key === '__proto__')
        Object.defineProperty(k, key, { value: ks, enumerable: true, writable: true, configurable: true });
      else k[key] = ks;
    }
    triggers[id] = { ...t, k };
  }
  const state: EngineState = {
    format: 1,
    fingerprint: eng.set.fingerprint,
    clock: { arrival: eng.arrival, watermark: eng.watermark, seq: eng.seq },
    dedupe: eng.dedupe.saved(),
    buffer: eng.buffer,
    triggers,
    rank: { close: eng.rankClose, held: eng.held },
    stats: eng.st,
  };
  // Deep copy so the caller can never alias live state.
  return JSON.parse(JSON.stringify(state)) as EngineState;
}

/** Restores a snapshot into a fresh engine. */
export function restore(eng: EngineCore, s: EngineState): void {
  if (s === null || typeof s !== 'object' || s.format !== 1 || typeof s.clock !== 'object') {
    throw new TriggerError(
      'INVALID_STATE',
      'the saved engine state is not a format-1 snapshot: start the engine without it or pass the value returned by snapshot()',
    );
  }
  const copy = JSON.parse(JSON.stringify(s)) as EngineState;
  eng.arrival = copy.clock.arrival;
  eng.watermark = copy.clock.watermark;
  eng.seq = copy.clock.seq;
  eng.dedupe.load(copy.dedupe.h, copy.dedupe.at);
  eng.st = copy.stats;
  // Snapshots taken before the counter existed lack it.
  eng.st.unkeyed ??= 0;
  // Buffered events carry per-set precomputations: only valid for the same trigger set.
  if (copy.fingerprint === eng.set.fingerprint) eng.buffer = copy.buffer;
  else eng.st.restoreDropped += copy.buffer.length;
  eng.set.triggers.forEach((T, ti) => {
    const saved = copy.triggers[T.id];
    if (!saved) return;
    if (saved.v !== T.version) {
      eng.st.restoreDropped++;
      return;
    }
    const keys = new Map<string, KeyState>();
    eng.keys[ti] = keys;
    for (const key of Object.keys(saved.k).sort()) {
      const ks = saved.k[key] as KeyState;
      keys.set(key, ks);
      for (const p of ks.p ?? []) if (p.dl !== undefined) eng.addTimer({ d: p.dl, ti, k: key, n: p.n });
      if (ks.ia && ks.ia.d !== null) eng.addTimer({ d: ks.ia.d, ti, k: key, n: -1 });
    }
    if (saved.c && saved.c.a !== null) eng.addTimer({ d: saved.c.a, ti, k: '', n: -2 });
    // Assigned, not deleted: `k` keeps its place in the saved object's key order.
    saved.k = {};
    eng.ts[ti] = saved;
  });
  for (const id of Object.keys(copy.triggers)) if (eng.indexOf(id) === -1) eng.st.restoreDropped++;
  eng.activated = eng.set.triggers.every(
    (T, ti) => T.inactivity === null || (eng.ts[ti] as TriggerState).act !== undefined,
  );
  eng.rankClose = copy.rank.close;
  eng.held = copy.rank.held.filter((m) => eng.indexOf(m.triggerId) !== -1);
  if (eng.rankClose !== null) eng.addTimer({ d: eng.rankClose, ti: -1, k: '', n: -1 });
  // Timers at one instant are processed in a fixed order regardless of insertion order.
  eng.timers.sort((a, b) => a.d - b.d);
}

/** Partial matches currently open (and armed inactivity), by trigger then key. */
export function partialViews(eng: EngineCore): PartialMatchView[] {
  const out: PartialMatchView[] = [];
  eng.set.triggers.forEach((T, ti) => {
    const tstate = eng.ts[ti] as TriggerState;
    const keys = eng.keys[ti] ?? NO_KEYS;
    for (const key of [...keys.keys()].sort()) {
      const ks = keys.get(key) as KeyState;
      for (const p of ks.p ?? []) {
        let deadline: number | null = p.dl ?? null;
        if (deadline === null) {
          const step = T.steps[p.j];
          const ends: number[] = [];
          if (T.within !== null) ends.push(p.st[0] + T.within);
          if (step?.maxGap != null) ends.push(p.lt + step.maxGap);
          deadline = ends.length > 0 ? Math.min(...ends) : null;
        }
        out.push({ triggerId: T.id, key, startedAt: p.st[0], deadline });
      }
      if (ks.ia && ks.ia.d !== null)
        out.push({
          triggerId: T.id,
          key,
          startedAt: ks.ia.l ? ks.ia.l[1] : (tstate.act ?? ks.ia.d),
          deadline: ks.ia.d,
        });
    }
  });
  return out;
}
