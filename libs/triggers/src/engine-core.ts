// The matcher's runtime state (engine.ts) with the bookkeeping every part of it shares: timers
// and key states. The evaluation, sequence, deadline and arbitration modules are functions of
// it; fields are public to them only (this module is not exported from the package).
import type { CompiledSet, CTrigger, NameInfo, V } from './compile';
import type { ResolvedConfig } from './engine-config';
import { emptyStats, NO_HITS, removeAt, type Timer } from './engine-helpers';
import { asIndexOf, byNameOf, type AsIndex } from './engine-set';
import type {
  BufRec,
  EngineStats,
  KeyState,
  MatchOutput,
  Output,
  PartialState,
  TriggerState,
} from './engine.types';
import { DedupeWindow } from './dedupe-window';
import { keyEvicted } from './eviction-report';
import { matchShapesOf, type MatchShapes } from './match-output';
import { traceKill, type EngineObserver } from './trace';

/** The state of one customer's matcher (saved fields and runtime indexes). */
export class EngineCore {
  arrival: number | null = null;
  watermark: number | null = null;
  seq = 0;
  readonly dedupe = new DedupeWindow();
  buffer: BufRec[] = [];
  ts: TriggerState[];
  /**
   * Key states per trigger. Saved as `TriggerState.k`; kept in a Map at runtime (left empty in
   * `ts`) because a key is looked up for every event and keys come and go constantly. Created on
   * a trigger's first key: 10,000 customers' engines hold few.
   */
  keys: (Map<string, KeyState> | undefined)[];
  timers: Timer[] = [];
  rankClose: number | null = null;
  /** Runtime only: every inactivity trigger has its activation time. */
  activated = false;
  held: MatchOutput[] = [];
  st: EngineStats = emptyStats();
  /** Runtime only: the output list of the running ingest/advanceTo, where evictions are reported. */
  sink: Output[] = [];
  readonly asIndex: AsIndex;
  readonly shapes: MatchShapes;
  /** `set.byName` as a Map: looked up for every event. */
  readonly byName: Map<string, NameInfo>;
  // Runtime only: the event under evaluation for one trigger, and the atoms of the step under
  // evaluation that it qualifies for (marked with the current generation). Fields rather than
  // per-event closures and maps keep the hot path allocation-free.
  curName = '';
  curBits = '';
  curV: V[] | undefined = undefined;
  /** Score atoms the current event crosses (docs/triggers.md §3.14), for the trigger under evaluation. */
  curScores: number[] = NO_HITS;
  readonly qMark: Int32Array;
  qGen = 0;

  constructor(
    readonly set: CompiledSet,
    readonly config: ResolvedConfig,
    /** Tracing (docs/triggers.md §4): every call site checks it first, so no observer costs nothing. */
    readonly obs?: EngineObserver,
  ) {
    this.ts = set.triggers.map((t) => ({ v: t.version, n: 0, k: {} }));
    this.keys = set.triggers.map(() => undefined);
    this.asIndex = asIndexOf(set);
    this.shapes = matchShapesOf(set);
    this.byName = byNameOf(set);
    this.qMark = new Int32Array(set.triggers.reduce((m, T) => Math.max(m, T.atoms.length), 0));
    this.activated = set.triggers.every((T) => T.inactivity === null);
  }

  // ---------------------------------------------------------------- timers

  timerIndex(d: number): number {
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.timers[mid] as Timer).d <= d) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  addTimer(t: Timer): void {
    const i = this.timerIndex(t.d);
    if (i === this.timers.length) this.timers.push(t);
    else this.timers.splice(i, 0, t);
  }

  removeTimer(d: number, ti: number, k: string, n: number): void {
    for (let i = this.timerIndex(d) - 1; i >= 0; i--) {
      const x = this.timers[i] as Timer;
      if (x.d !== d) break;
      if (x.ti === ti && x.k === k && x.n === n) {
        removeAt(this.timers, i);
        return;
      }
    }
  }

  dropPartialTimer(ti: number, key: string, p: PartialState): void {
    if (p.dl !== undefined) this.removeTimer(p.dl, ti, key, p.n);
  }

  // ---------------------------------------------------------------- keys

  keyState(ti: number, key: string, t: number, s: number): KeyState {
    let keys = this.keys[ti];
    if (keys === undefined) {
      keys = new Map<string, KeyState>();
      this.keys[ti] = keys;
    }
    let ks = keys.get(key);
    if (ks) return ks;
    const T = this.set.triggers[ti] as CTrigger;
    if (keys.size >= T.maxKeys) {
      // Evict the least recently touched key (ties by key) and everything it holds.
      let victim: string | null = null;
      let vu: [number, number] = [Infinity, Infinity];
      for (const k of keys.keys()) {
        const u = (keys.get(k) as KeyState).u;
        if (
          u[0] < vu[0] ||
          (u[0] === vu[0] && (u[1] < vu[1] || (u[1] === vu[1] && victim !== null && k < victim)))
        ) {
          victim = k;
          vu = u;
        }
      }
      if (victim !== null) {
        if (this.obs)
          for (const p of keys.get(victim)?.p ?? []) traceKill(this.obs, T, victim, p, 'eviction', t, null);
        this.sink.push(keyEvicted(T, victim, keys.get(victim) as KeyState));
        this.deleteKey(ti, victim);
        this.st.evictions.keys++;
      }
    }
    ks = { u: [t, s] };
    keys.set(key, ks);
    return ks;
  }

  deleteKey(ti: number, key: string): void {
    const keys = this.keys[ti];
    const ks = keys?.get(key);
    if (!keys || !ks) return;
    for (const p of ks.p ?? []) this.dropPartialTimer(ti, key, p);
    if (ks.ia && ks.ia.d !== null) this.removeTimer(ks.ia.d, ti, key, -1);
    keys.delete(key);
  }

  /** Drops a key state that holds nothing, so idle keys cost no state. */
  tidyKey(ti: number, key: string): void {
    const ks = this.keys[ti]?.get(key);
    if (!ks) return;
    if (ks.p && ks.p.length === 0) delete ks.p;
    if (ks.w && ks.w.every((l) => l.length === 0)) delete ks.w;
    if (ks.p === undefined && ks.w === undefined && ks.f === undefined && ks.ia === undefined)
      this.deleteKey(ti, key);
  }

  // ---------------------------------------------------------------- partials

  removePartial(ti: number, key: string, ks: KeyState, p: PartialState): void {
    const ps = ks.p;
    if (!ps) return;
    const i = ps.indexOf(p);
    if (i >= 0) removeAt(ps, i);
    this.dropPartialTimer(ti, key, p);
  }

  indexOf(triggerId: string): number {
    return this.set.triggers.findIndex((t) => t.id === triggerId);
  }
}
