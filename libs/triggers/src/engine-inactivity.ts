// Inactivity triggers (docs/triggers.md §3.7): activation of the silent period, re-arming on a
// qualifying event. Firing happens in engine-deadlines.ts.
import type { CTrigger, V } from './compile';
import type { EngineCore } from './engine-core';
import { evalPred } from './engine-eval';
import { touch } from './engine-helpers';
import type { Rec, TriggerState } from './engine.types';

/** Starts the silent period of uncorrelated inactivity triggers at the first known time. */
export function activate(eng: EngineCore, now: number): void {
  if (eng.activated) return;
  eng.activated = true;
  eng.set.triggers.forEach((T, ti) => {
    const t = eng.ts[ti] as TriggerState;
    if (T.inactivity === null || t.act !== undefined) return;
    t.act = now;
    if (T.correlated) return;
    const ks = eng.keyState(ti, '', now, -1);
    ks.ia = { d: now + T.inactivity.forMs, l: null };
    eng.addTimer({ d: ks.ia.d as number, ti, k: '', n: -1 });
  });
}

export function inactivityEvent(
  eng: EngineCore,
  T: CTrigger,
  key: string,
  rec: Rec,
  v: V[] | undefined,
  bits: string,
): void {
  const ia = T.inactivity as { ta: number; forMs: number };
  const atom = T.atoms[ia.ta];
  if (!atom || !evalPred(eng, atom.where, bits, v, T.index, null)) return;
  const ks = eng.keyState(T.index, key, rec[1], rec[2]);
  touch(ks, rec);
  if (ks.ia && ks.ia.d !== null) eng.removeTimer(ks.ia.d, T.index, key, -1);
  const d = rec[1] + ia.forMs;
  ks.ia = { d, l: [rec[0], rec[1], rec[2], ia.ta] };
  eng.addTimer({ d, ti: T.index, k: key, n: -1 });
}
