// The deterministic matcher of docs/triggers.md §3. Pure: no I/O, no clock, no randomness; saved state
// is plain JSON (objects/arrays only) and runtime indexes (timers, dedupe lookup) are rebuilt
// from it on restore, so restoring a snapshot and continuing equals never stopping.
import {
  compileSet,
  isSafeAscii,
  projectEvent,
  type CNode,
  type CompiledSet,
  type CPred,
  type CSlot,
  type CTrigger,
  type NameInfo,
  type V,
} from './compile';
import { parseDuration } from './duration';
import { EngineConfigSchema, type EngineConfig, type EngineConfigInput } from './engine-config.schema';
import type {
  BufRec,
  EngineState,
  EngineStats,
  KeyState,
  MatchEvent,
  MatchOutput,
  Output,
  PartialMatchView,
  PartialState,
  Rec,
  TriggerState,
  CalendarView,
} from './engine.types';
import { TriggerError } from './errors';
import { armCalendar, calendarViews, fireCalendar, noteUnless } from './calendar-arms';
import { keyEvicted, partialEvicted } from './eviction-report';
import { scoreCrossings } from './score-state';
import { SCORE_EVENT } from './score.schema';
import { DedupeWindow } from './dedupe-window';
import { insertionSort, makeMatch, matchShapesOf, recCmp, type MatchShapes } from './match-output';
import { computeStateBound, STATE_BUDGET_BYTES } from './state-bound';
import {
  traceComplete,
  traceKill,
  tracePartial,
  type EngineObserver,
  type EngineOptions,
  type KillCause,
} from './trace';
import type { Trigger } from './trigger.schema';
import { issuesToErrors } from './validate';

/** The matcher API of docs/triggers.md §4. */
export type Engine = {
  /** Feeds one event; returns matches and late/duplicate notices in emission order. */
  ingest(event: MatchEvent): Output[];
  /** Advances the clock to `ms` (workflow time): fires deadlines, releases buffered events. */
  advanceTo(ms: number): Output[];
  /** When the caller must call `advanceTo` next (workflow time), or null. */
  nextWakeup(): number | null;
  /** The full state as plain JSON. */
  snapshot(): EngineState;
  /** Partial matches currently open, for the journey query. */
  partials(): PartialMatchView[];
  /** Counters (events, duplicates, late, evictions...). */
  stats(): EngineStats;
  /**
   * Arms a date or schedule trigger's next instant (null: none, with the host's `note` why);
   * false when not armed (unknown or non-calendar trigger, or an instant already passed or fired).
   */
  arm(triggerId: string, at: number | null, note?: string): boolean;
  /** Date and schedule triggers: armed instant, last firing, note (docs/triggers.md §3.12). */
  calendars(): CalendarView[];
  /** The resolved configuration. */
  readonly config: ResolvedConfig;
};

/** Engine configuration with durations in milliseconds and every default applied. */
export type ResolvedConfig = {
  basis: 'arrival' | 'event';
  allowedLateness: number;
  maxFutureSkew: number;
  dedupeCapacity: number;
  dedupeHorizon: number;
  bufferMax: number;
  arbitration: 'immediate' | 'ranked';
  rankWindow: number;
};

/** Held ranked candidates beyond this close the rank window early (keeps state bounded). */
export const MAX_RANKED_HELD = 16;

/** Applies defaults to a partial config and converts durations. */
export function resolveEngineConfig(input?: EngineConfigInput | EngineConfig): ResolvedConfig {
  const key = JSON.stringify(input ?? {});
  const hit = configCache[key];
  if (hit) return { ...hit };
  const resolved = resolveUncached(input);
  // A handful of configs exist per process; the cap only guards against misuse.
  if (configCacheSize < 64) {
    configCache[key] = resolved;
    configCacheSize++;
  }
  return { ...resolved };
}

function resolveUncached(input?: EngineConfigInput | EngineConfig): ResolvedConfig {
  const r = EngineConfigSchema.safeParse(input ?? {});
  if (!r.success) {
    const errors = issuesToErrors(r.error.issues);
    throw new TriggerError(
      'INVALID_ENGINE_CONFIG',
      `engine config is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      errors,
    );
  }
  const c = r.data;
  const allowedLateness = parseDuration(c.time.allowedLateness);
  return {
    basis: c.time.basis,
    allowedLateness,
    maxFutureSkew: parseDuration(c.time.maxFutureSkew),
    dedupeCapacity: c.dedupe.capacity,
    dedupeHorizon:
      c.dedupe.horizon === undefined
        ? Math.max(86_400_000, allowedLateness)
        : parseDuration(c.dedupe.horizon),
    bufferMax: c.buffer.maxEvents,
    arbitration: c.arbitration.mode,
    rankWindow: c.arbitration.rankWindow === undefined ? 0 : parseDuration(c.arbitration.rankWindow),
  };
}

const compiledCache = new WeakMap<readonly Trigger[], CompiledSet>();
const byNameCache = new WeakMap<CompiledSet, Map<string, NameInfo>>();

/** `set.byName` as a Map (shared by a set's engines): an event name is looked up per event. */
function byNameOf(set: CompiledSet): Map<string, NameInfo> {
  let hit = byNameCache.get(set);
  if (hit === undefined) {
    hit = new Map(Object.entries(set.byName));
    byNameCache.set(set, hit);
  }
  return hit;
}

type AsIndex = Record<string, { step: number; atoms: number[] }>[];
const asIndexCache = new WeakMap<CompiledSet, AsIndex>();

/** Per trigger: `as` name -> the step and atoms bound under it (shared by a set's engines). */
function asIndexOf(set: CompiledSet): AsIndex {
  let hit = asIndexCache.get(set);
  if (hit === undefined) {
    hit = set.triggers.map((t) => {
      const idx = Object.create(null) as Record<string, { step: number; atoms: number[] }>;
      for (const b of t.bindingKeys) idx[b.key] = { step: b.step, atoms: b.atoms };
      return idx;
    });
    asIndexCache.set(set, hit);
  }
  return hit;
}

const boundCache = new WeakMap<CompiledSet, Record<string, ReturnType<typeof computeStateBound>>>();
const configCache: Record<string, ResolvedConfig> = {};
let configCacheSize = 0;

type Timer = { d: number; ti: number; k: string; n: number };
type Cand = { m: MatchOutput; ti: number };

/** Integer epoch ms within the Date range: keeps every saved time at most 17 characters. */
function isEpochMs(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && Math.abs(x) <= 8.64e15;
}

function posLe(t1: number, s1: number, t2: number, s2: number): boolean {
  return t1 < t2 || (t1 === t2 && s1 <= s2);
}
function strCmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Removes, in place, the records at or before (t, s). */
function dropUpTo(l: Rec[], t: number, s: number): void {
  let j = 0;
  for (const r of l) if (!posLe(r[1], r[2], t, s)) l[j++] = r;
  l.length = j;
}

/** Removes, in place, the records whose seq is in `seqs`. */
function dropSeqs(l: Rec[], seqs: number[]): void {
  let j = 0;
  for (const r of l) if (!seqs.includes(r[2])) l[j++] = r;
  l.length = j;
}

function partialCmp(a: PartialState, b: PartialState): number {
  return a.st[0] - b.st[0] || a.st[1] - b.st[1] || a.n - b.n;
}

/** Removes `l[i]` in place (splice would also allocate the array of removed items). */
function removeAt<T>(l: T[], i: number): void {
  for (let j = i + 1; j < l.length; j++) l[j - 1] = l[j] as T;
  l.pop();
}

/** Read-only: the keys of a trigger that never had one. */
const NO_KEYS: ReadonlyMap<string, KeyState> = new Map();

/** Read-only empty slot lists (evaluation never writes to the lists it is given). */
const NO_SLOTS: Rec[][] = [];
const NO_HITS: number[] = [];

/** Marks the key as touched by `rec` (eviction order), in place. */
function touch(ks: KeyState, rec: Rec): void {
  ks.u[0] = rec[1];
  ks.u[1] = rec[2];
}

/** The values one trigger reads, picked from the event's projected values. */
function project(vals: V[], map: number[]): V[] {
  // Built by push, not `new Array(n)`: JSON.stringify (snapshots) is slow on holey arrays.
  const v: V[] = [];
  for (const pos of map) v.push(vals[pos] ?? null);
  return v;
}

/** Candidates by priority (highest first), trigger id, matchedAt, then emission order. */
function arbitrationOrder(cands: Cand[]): Cand[] {
  if (cands.length < 2) return cands;
  return cands
    .map((c, i) => ({ c, i }))
    .sort(
      (a, b) =>
        b.c.m.priority - a.c.m.priority ||
        strCmp(a.c.m.triggerId, b.c.m.triggerId) ||
        a.c.m.matchedAt - b.c.m.matchedAt ||
        a.i - b.i,
    )
    .map((x) => x.c);
}

function emptyStats(): EngineStats {
  return {
    events: 0,
    duplicates: 0,
    late: 0,
    rejected: 0,
    fired: 0,
    suppressed: 0,
    evictions: { keys: 0, partials: 0, dedupe: 0, buffer: 0, ranked: 0 },
    restoreDropped: 0,
    unkeyed: 0,
  };
}

function isScalarV(v: V | undefined): v is string | number | boolean {
  return v !== null && v !== undefined && v !== '#o';
}

function refCompare(op: 'eqRef' | 'neqRef' | 'gtRef' | 'ltRef', l: V | undefined, r: V | undefined): boolean {
  switch (op) {
    case 'eqRef':
      return isScalarV(l) && isScalarV(r) && typeof l === typeof r && l === r;
    case 'neqRef':
      return isScalarV(l) && isScalarV(r) && typeof l === typeof r && l !== r;
    case 'gtRef':
      return typeof l === 'number' && typeof r === 'number' && l > r;
    case 'ltRef':
      return typeof l === 'number' && typeof r === 'number' && l < r;
  }
}

/** Correlation key from projected values; null when a value is missing or not a scalar. */
function keyOf(v: V[] | undefined, corr: number[]): string | null {
  if (corr.length === 0) return '';
  const vals: V[] = [];
  for (const i of corr) {
    const x = v?.[i];
    if (!isScalarV(x)) return null;
    vals.push(x);
  }
  const only = vals[0];
  if (vals.length === 1 && typeof only === 'string' && only.charCodeAt(0) !== 91) return only;
  return JSON.stringify(vals);
}

/**
 * Creates a matcher for a validated trigger set. The compiled form is cached per `triggers`
 * array (engines of many customers share it), so do not mutate the array afterwards.
 * @param triggers validated definitions (disabled ones are ignored)
 * @param config a partial EngineConfig; omitted fields take the defaults of docs/triggers.md §2.6
 * @param restored a snapshot to continue from (continue-as-new)
 * @param options `observer`: told of every partial-match decision (docs/triggers.md §4, traces)
 * @throws TriggerError `STATE_BUDGET_EXCEEDED` when the set's static state bound exceeds 192 KiB,
 *   `INVALID_ENGINE_CONFIG`, `INVALID_STATE`.
 */
export function createEngine(
  triggers: readonly Trigger[],
  config?: EngineConfigInput | EngineConfig,
  restored?: EngineState,
  options?: EngineOptions,
): Engine {
  const cfg = resolveEngineConfig(config);
  // One compiled set per trigger array: 10,000 customers' engines share it (runtime only).
  let set = compiledCache.get(triggers);
  if (set === undefined) {
    set = compileSet(triggers);
    compiledCache.set(triggers, set);
  }
  const cfgKey = JSON.stringify(cfg);
  let bounds = boundCache.get(set);
  if (bounds === undefined) {
    bounds = {};
    boundCache.set(set, bounds);
  }
  const bound = bounds[cfgKey] ?? computeStateBound(set, cfg);
  bounds[cfgKey] = bound;
  if (bound.total > STATE_BUDGET_BYTES) {
    throw new TriggerError(
      'STATE_BUDGET_EXCEEDED',
      `the trigger set may need ${bound.total} bytes of state per customer, over the budget of ${STATE_BUDGET_BYTES}: lower limits.maxKeys / limits.maxPartialsPerKey of the largest triggers (${bound.largest.join(', ')})`,
    );
  }
  return new Matcher(set, cfg, restored, options?.observer);
}

class Matcher implements Engine {
  private arrival: number | null = null;
  private watermark: number | null = null;
  private seq = 0;
  private readonly dedupe = new DedupeWindow();
  private buffer: BufRec[] = [];
  private ts: TriggerState[];
  /**
   * Key states per trigger. Saved as `TriggerState.k`; kept in a Map at runtime (left empty in
   * `ts`) because a key is looked up for every event and keys come and go constantly. Created on
   * a trigger's first key: 10,000 customers' engines hold few.
   */
  private keys: (Map<string, KeyState> | undefined)[];
  private timers: Timer[] = [];
  private rankClose: number | null = null;
  /** Runtime only: every inactivity trigger has its activation time. */
  private activated = false;
  private held: MatchOutput[] = [];
  private st: EngineStats = emptyStats();
  /** Runtime only: the output list of the running ingest/advanceTo, where evictions are reported. */
  private sink: Output[] = [];
  private readonly asIndex: Record<string, { step: number; atoms: number[] }>[];
  private readonly shapes: MatchShapes;
  /** `set.byName` as a Map: looked up for every event. */
  private readonly byName: Map<string, NameInfo>;
  // Runtime only: the event under evaluation for one trigger, and the atoms of the step under
  // evaluation that it qualifies for (marked with the current generation). Fields rather than
  // per-event closures and maps keep the hot path allocation-free.
  private curName = '';
  private curBits = '';
  private curV: V[] | undefined = undefined;
  /** Score atoms the current event crosses (docs/triggers.md §3.14), for the trigger under evaluation. */
  private curScores: number[] = NO_HITS;
  private readonly qMark: Int32Array;
  private qGen = 0;

  constructor(
    private readonly set: CompiledSet,
    readonly config: ResolvedConfig,
    restored?: EngineState,
    /** Tracing (docs/triggers.md §4): every call site checks it first, so no observer costs nothing. */
    private readonly obs?: EngineObserver,
  ) {
    this.ts = set.triggers.map((t) => ({ v: t.version, n: 0, k: {} }));
    this.keys = set.triggers.map(() => undefined);
    this.asIndex = asIndexOf(set);
    this.shapes = matchShapesOf(set);
    this.byName = byNameOf(set);
    this.qMark = new Int32Array(set.triggers.reduce((m, T) => Math.max(m, T.atoms.length), 0));
    this.activated = set.triggers.every((T) => T.inactivity === null);
    if (restored) this.restore(restored);
  }

  // ---------------------------------------------------------------- public API

  ingest(ev: MatchEvent): Output[] {
    const out: Output[] = [];
    this.sink = out;
    const problem = this.checkEvent(ev);
    if (problem !== null) {
      this.st.rejected++;
      out.push({
        type: 'rejected',
        eventId: typeof ev?.id === 'string' ? ev.id.slice(0, 128) : '',
        message: problem,
      });
      return out;
    }
    this.st.events++;
    // "Seen within the horizon" is judged at this event's arrival.
    // Half-open, like every window (docs/triggers.md §3.2): seen at `at`, an id is a duplicate
    // for arrivals in [at, at + horizon).
    this.dedupe.prune(Math.max(this.arrival ?? ev.receivedAt, ev.receivedAt) - this.config.dedupeHorizon);
    if (this.dedupe.seen(ev.id)) {
      this.st.duplicates++;
      out.push({ type: 'duplicate', eventId: ev.id });
      return out;
    }
    const a = this.arrival === null ? ev.receivedAt : Math.max(this.arrival, ev.receivedAt);
    this.arrival = a;
    this.st.evictions.dedupe += this.dedupe.add(a, this.config.dedupeCapacity);
    let t: number;
    if (this.config.basis === 'arrival') {
      t = a;
      this.watermark = a;
    } else {
      t = Math.min(ev.ts, ev.receivedAt + this.config.maxFutureSkew);
      const w = a - this.config.allowedLateness;
      this.watermark = this.watermark === null ? w : Math.max(this.watermark, w);
      if (t < this.watermark) {
        this.st.late++;
        out.push({ type: 'late', eventId: ev.id, time: t });
        this.drain(out);
        return out;
      }
    }
    const s = this.seq++;
    const info = this.byName.get(ev.name);
    // An event no trigger reads is skipped, except before activation: the first processed
    // event (in event-time order) starts the silent period of inactivity triggers.
    if (info || !this.activated) {
      const { bits, vals } = info ? projectEvent(info, ev) : { bits: '', vals: [] };
      const rec: BufRec = [ev.id, ev.name, t, s, bits, vals];
      this.bufferInsert(rec);
      if (this.buffer.length > this.config.bufferMax) {
        // Forced release: the oldest buffered event is processed now and the watermark moves
        // to its time, so order is still never violated (later events below it become late).
        const oldest = this.buffer[0] as BufRec;
        this.watermark = Math.max(this.watermark ?? oldest[2], oldest[2]);
        this.st.evictions.buffer++;
      }
    }
    this.drain(out);
    return out;
  }

  advanceTo(ms: number): Output[] {
    const out: Output[] = [];
    this.sink = out;
    if (!isEpochMs(ms)) return out;
    if (this.arrival === null || ms > this.arrival) this.arrival = ms;
    const w = this.config.basis === 'arrival' ? this.arrival : this.arrival - this.config.allowedLateness;
    this.watermark = this.watermark === null ? w : Math.max(this.watermark, w);
    this.drain(out);
    // With no event ever processed, the silent period of inactivity starts now.
    if (this.buffer.length === 0) this.activate(this.watermark);
    return out;
  }

  nextWakeup(): number | null {
    let m: number | null = this.timers.length > 0 ? (this.timers[0] as Timer).d : null;
    const b = this.buffer[0];
    if (b !== undefined && (m === null || b[2] < m)) m = b[2];
    if (m === null) return null;
    return this.config.basis === 'arrival' ? m : m + this.config.allowedLateness;
  }

  snapshot(): EngineState {
    const triggers: Record<string, TriggerState> = {};
    const order = this.set.triggers.map((t, i) => [t.id, i] as const).sort((a, b) => strCmp(a[0], b[0]));
    for (const [id, i] of order) {
      const t = this.ts[i] as TriggerState;
      const keys = this.keys[i] ?? NO_KEYS;
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
      fingerprint: this.set.fingerprint,
      clock: { arrival: this.arrival, watermark: this.watermark, seq: this.seq },
      dedupe: this.dedupe.saved(),
      buffer: this.buffer,
      triggers,
      rank: { close: this.rankClose, held: this.held },
      stats: this.st,
    };
    // Deep copy so the caller can never alias live state.
    return JSON.parse(JSON.stringify(state)) as EngineState;
  }

  partials(): PartialMatchView[] {
    const out: PartialMatchView[] = [];
    this.set.triggers.forEach((T, ti) => {
      const tstate = this.ts[ti] as TriggerState;
      const keys = this.keys[ti] ?? NO_KEYS;
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

  stats(): EngineStats {
    return JSON.parse(JSON.stringify(this.st)) as EngineStats;
  }

  arm(triggerId: string, at: number | null, note?: string): boolean {
    const ti = this.indexOf(triggerId);
    if (this.set.triggers[ti]?.calendar == null || (at !== null && !isEpochMs(at))) return false;
    const r = armCalendar(this.ts[ti] as TriggerState, at, note, this.arrival);
    if (r.removed !== null) this.removeTimer(r.removed, ti, '', -2);
    if (r.added !== null) this.addTimer({ d: r.added, ti, k: '', n: -2 });
    return (this.ts[ti] as TriggerState).c?.a === at && at !== null;
  }

  calendars(): CalendarView[] {
    return calendarViews(this.set.triggers, this.ts);
  }

  // ---------------------------------------------------------------- time

  private checkEvent(ev: MatchEvent): string | null {
    if (ev === null || typeof ev !== 'object') return 'the event is not an object';
    if (typeof ev.id !== 'string' || !isSafeAscii(ev.id, 0x21, 1, 128))
      return 'id must be 1-128 printable ASCII characters without quotes or backslashes';
    // 200 characters (the gateway's exact rule, @kairos/events) are at most 400 UTF-16 units.
    if (typeof ev.name !== 'string' || ev.name.length === 0 || ev.name.length > 400)
      return 'name must be 1-400 UTF-16 code units (any 200 characters)';
    if (!isEpochMs(ev.ts)) return 'ts must be integer epoch milliseconds';
    if (!isEpochMs(ev.receivedAt)) return 'receivedAt must be integer epoch milliseconds';
    if (ev.properties === null || typeof ev.properties !== 'object' || Array.isArray(ev.properties))
      return 'properties must be an object';
    return null;
  }

  private bufferInsert(rec: BufRec): void {
    const b = this.buffer;
    let lo = 0;
    let hi = b.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const x = b[mid] as BufRec;
      if (x[2] < rec[2] || (x[2] === rec[2] && x[3] < rec[3])) lo = mid + 1;
      else hi = mid;
    }
    // In arrival order (the common case) the event goes last: push, not splice.
    if (lo === b.length) b.push(rec);
    else b.splice(lo, 0, rec);
  }

  /** Processes, in order, every deadline and buffered event at or below the watermark. */
  private drain(out: Output[]): void {
    const w = this.watermark;
    if (w === null) return;
    for (;;) {
      const tm = this.timers[0];
      const ev = this.buffer[0];
      const dueT = tm !== undefined && tm.d <= w ? tm.d : null;
      const dueE = ev !== undefined && ev[2] <= w ? ev : null;
      if (dueT === null && dueE === null) break;
      // Deadlines at instant t go before events whose time is t.
      if (dueT !== null && (dueE === null || dueT <= dueE[2])) this.processDeadlines(dueT, out);
      else {
        this.buffer.shift();
        // Activation at the first processed event: under the event basis that is the
        // earliest event in event time whatever the arrival order.
        this.activate((dueE as BufRec)[2]);
        this.processEvent(dueE as BufRec, out);
      }
    }
  }

  /** Starts the silent period of uncorrelated inactivity triggers at the first known time. */
  private activate(now: number): void {
    if (this.activated) return;
    this.activated = true;
    this.set.triggers.forEach((T, ti) => {
      const t = this.ts[ti] as TriggerState;
      if (T.inactivity === null || t.act !== undefined) return;
      t.act = now;
      if (T.correlated) return;
      const ks = this.keyState(ti, '', now, -1);
      ks.ia = { d: now + T.inactivity.forMs, l: null };
      this.addTimer({ d: ks.ia.d as number, ti, k: '', n: -1 });
    });
  }

  // ---------------------------------------------------------------- timers

  private timerIndex(d: number): number {
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.timers[mid] as Timer).d <= d) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private addTimer(t: Timer): void {
    const i = this.timerIndex(t.d);
    if (i === this.timers.length) this.timers.push(t);
    else this.timers.splice(i, 0, t);
  }

  private removeTimer(d: number, ti: number, k: string, n: number): void {
    for (let i = this.timerIndex(d) - 1; i >= 0; i--) {
      const x = this.timers[i] as Timer;
      if (x.d !== d) break;
      if (x.ti === ti && x.k === k && x.n === n) {
        removeAt(this.timers, i);
        return;
      }
    }
  }

  private dropPartialTimer(ti: number, key: string, p: PartialState): void {
    if (p.dl !== undefined) this.removeTimer(p.dl, ti, key, p.n);
  }

  // ---------------------------------------------------------------- keys

  private keyState(ti: number, key: string, t: number, s: number): KeyState {
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

  private deleteKey(ti: number, key: string): void {
    const keys = this.keys[ti];
    const ks = keys?.get(key);
    if (!keys || !ks) return;
    for (const p of ks.p ?? []) this.dropPartialTimer(ti, key, p);
    if (ks.ia && ks.ia.d !== null) this.removeTimer(ks.ia.d, ti, key, -1);
    keys.delete(key);
  }

  /** Drops a key state that holds nothing, so idle keys cost no state. */
  private tidyKey(ti: number, key: string): void {
    const ks = this.keys[ti]?.get(key);
    if (!ks) return;
    if (ks.p && ks.p.length === 0) delete ks.p;
    if (ks.w && ks.w.every((l) => l.length === 0)) delete ks.w;
    if (ks.p === undefined && ks.w === undefined && ks.f === undefined && ks.ia === undefined)
      this.deleteKey(ti, key);
  }

  // ---------------------------------------------------------------- evaluation

  private evalPred(c: CPred, bits: string, v: V[] | undefined, ti: number, p: PartialState | null): boolean {
    switch (c.k) {
      case 'true':
        return true;
      case 'bit':
        return bits.charCodeAt(c.i) === 49;
      case 'and':
        for (const a of c.a) if (!this.evalPred(a, bits, v, ti, p)) return false;
        return true;
      case 'or':
        for (const a of c.a) if (this.evalPred(a, bits, v, ti, p)) return true;
        return false;
      case 'not':
        return !this.evalPred(c.a, bits, v, ti, p);
      case 'score':
        return this.curScores.includes(c.ta);
      case 'ref': {
        if (p === null) return false;
        const target = this.lookupAs(ti, p, c.as);
        return target !== null && refCompare(c.op, v?.[c.left], target[4]?.[c.right]);
      }
    }
  }

  /** Whether the current event qualifies for atom `ta` of T (in the context of partial `p`). */
  private qualifies(T: CTrigger, ta: number, p: PartialState | null): boolean {
    const atom = T.atoms[ta];
    return (
      atom !== undefined &&
      atom.name === this.curName &&
      this.evalPred(atom.where, this.curBits, this.curV, T.index, p)
    );
  }

  /** Marks the atoms of a step that the current event qualifies for; returns whether any does. */
  private markQualifying(T: CTrigger, atoms: number[], p: PartialState | null): boolean {
    if (++this.qGen === 0x3fffffff) {
      this.qMark.fill(0);
      this.qGen = 1;
    }
    let any = false;
    for (const ta of atoms)
      if (this.qualifies(T, ta, p)) {
        this.qMark[ta] = this.qGen;
        any = true;
      }
    return any;
  }

  /** Whether atom `ta` was marked by the last markQualifying. */
  private q(ta: number): boolean {
    return this.qMark[ta] === this.qGen;
  }

  /** The most recent event bound under `as` by the partial, or null. */
  private lookupAs(ti: number, p: PartialState, as: string): Rec | null {
    const entry = (this.asIndex[ti] as Record<string, { step: number; atoms: number[] }>)[as];
    if (!entry) return null;
    const recs = p.b[entry.step];
    if (!recs) return null;
    for (let i = recs.length - 1; i >= 0; i--) {
      const r = recs[i] as Rec;
      if (entry.atoms.includes(r[3])) return r;
    }
    return null;
  }

  private insertSlot(lists: Rec[][], slotIdx: number, slot: CSlot, rec: Rec): void {
    let list = lists[slotIdx];
    if (!list) {
      list = [];
      lists[slotIdx] = list;
    }
    const lower = rec[1] - slot.within;
    let drop = 0;
    while (drop < list.length && (list[drop] as Rec)[1] <= lower) drop++;
    if (drop > 0) {
      for (let i = drop; i < list.length; i++) list[i - drop] = list[i] as Rec;
      for (let i = 0; i < drop; i++) list.pop();
    }
    if (slot.distinct >= 0) {
      const val = rec[4]?.[slot.distinct];
      if (!isScalarV(val)) return;
      for (let i = list.length - 1; i >= 0; i--)
        if ((list[i] as Rec)[4]?.[slot.distinct] === val) removeAt(list, i);
    }
    list.push([rec[0], rec[1], rec[2], slot.ta, rec[4]] as Rec);
    while (list.length > slot.cap) list.shift();
  }

  private pickCount(
    list: Rec[] | undefined,
    lower: number,
    atLeast: number,
    distinct: number,
    used: number[],
  ): Rec[] | null {
    if (!list) return null;
    const taken: Rec[] = [];
    const seen: V[] = [];
    for (let i = list.length - 1; i >= 0 && taken.length < atLeast; i--) {
      const r = list[i] as Rec;
      if (r[1] <= lower) break;
      if (used.includes(r[2])) continue;
      if (distinct >= 0) {
        const val = r[4]?.[distinct] ?? null;
        if (!isScalarV(val) || seen.includes(val)) continue;
        seen.push(val);
      }
      taken.push(r);
    }
    return taken.length >= atLeast ? taken.reverse() : null;
  }

  private evalNode(node: CNode, rec: Rec, slots: Rec[][]): Rec[] | null {
    switch (node.k) {
      case 'atom':
        return this.q(node.ta) ? [[rec[0], rec[1], rec[2], node.ta, rec[4]] as Rec] : null;
      case 'count':
        return this.q(node.ta)
          ? this.pickCount(slots[node.slot], rec[1] - node.within, node.atLeast, node.distinct, [])
          : null;
      case 'all':
        return this.evalAll(node, rec, slots);
      case 'any':
        for (const c of node.of) {
          const r = this.evalNode(c, rec, slots);
          if (r !== null) return r;
        }
        return null;
    }
  }

  private evalAll(node: Extract<CNode, { k: 'all' }>, rec: Rec, slots: Rec[][]): Rec[] | null {
    let relevant = false;
    for (const c of node.of) if ((c.k === 'atom' || c.k === 'count') && this.q(c.ta)) relevant = true;
    if (!relevant) return null;
    const lower = rec[1] - node.within;
    const used: number[] = [];
    const res: Rec[] = [];
    for (const c of node.of) {
      if (c.k === 'atom') {
        const list = slots[c.slot] ?? [];
        let pick: Rec | null = null;
        for (let i = list.length - 1; i >= 0; i--) {
          const r = list[i] as Rec;
          if (r[1] <= lower) break;
          if (!used.includes(r[2])) {
            pick = r;
            break;
          }
        }
        if (pick === null) return null;
        used.push(pick[2]);
        res.push(pick);
      } else if (c.k === 'count') {
        const got = this.pickCount(
          slots[c.slot],
          Math.max(lower, rec[1] - c.within),
          c.atLeast,
          c.distinct,
          used,
        );
        if (got === null) return null;
        for (const r of got) {
          used.push(r[2]);
          res.push(r);
        }
      }
    }
    if (!used.includes(rec[2])) return null;
    return insertionSort(res, recCmp);
  }

  // ---------------------------------------------------------------- events

  private processEvent(b: BufRec, out: Output[]): void {
    const info = this.byName.get(b[1]);
    if (!info) return;
    const cands: Cand[] = [];
    this.curName = b[1];
    this.curBits = b[4];
    for (const it of info.triggers) {
      const T = this.set.triggers[it.ti] as CTrigger;
      const v = T.vp.length > 0 ? project(b[5], it.vpMap) : undefined;
      this.curV = v;
      const key = keyOf(v, T.corr);
      if (key === null) {
        // docs/triggers.md §3.4: an event without a usable key is ignored by this trigger.
        this.st.unkeyed++;
        continue;
      }
      // Saved records keep only the values later needed (distinctBy, reference targets).
      const rec: Rec =
        T.storedVp === 0 || v === undefined
          ? [b[0], b[2], b[3], -1]
          : [b[0], b[2], b[3], -1, T.storedVp === v.length ? v : v.slice(0, T.storedVp)];
      // Score atoms: hysteresis moves once per event, before any partial looks at it.
      this.curScores =
        T.scores.length === 0 || b[1] !== SCORE_EVENT
          ? NO_HITS
          : scoreCrossings(T, this.ts[T.index] as TriggerState, (c) =>
              this.evalPred(c, b[4], v, T.index, null),
            );
      if (T.calendar !== null) {
        // A schedule's `unless` atom: only the latest qualifying time is kept.
        const atom = T.atoms[T.calendar.unlessTa];
        if (atom && this.evalPred(atom.where, b[4], v, T.index, null))
          noteUnless(this.ts[T.index] as TriggerState, rec[1]);
      } else if (T.inactivity !== null) this.inactivityEvent(T, key, rec, v, b[4]);
      else this.stepsEvent(T, key, rec, cands);
    }
    if (cands.length > 0) this.arbitrate(cands, b[2], out);
  }

  private inactivityEvent(T: CTrigger, key: string, rec: Rec, v: V[] | undefined, bits: string): void {
    const ia = T.inactivity as { ta: number; forMs: number };
    const atom = T.atoms[ia.ta];
    if (!atom || !this.evalPred(atom.where, bits, v, T.index, null)) return;
    const ks = this.keyState(T.index, key, rec[1], rec[2]);
    touch(ks, rec);
    if (ks.ia && ks.ia.d !== null) this.removeTimer(ks.ia.d, T.index, key, -1);
    const d = rec[1] + ia.forMs;
    ks.ia = { d, l: [rec[0], rec[1], rec[2], ia.ta] };
    this.addTimer({ d, ti: T.index, k: key, n: -1 });
  }

  private stepsEvent(T: CTrigger, key: string, rec: Rec, cands: Cand[]): void {
    const ti = T.index;
    let ks = this.keys[ti]?.get(key);
    if (ks) {
      touch(ks, rec);
      // The current event may be used up by a skip rule (consume / pastLast) of a completion.
      if (ks.p && ks.p.length > 0 && !this.advancePartials(T, key, ks, rec, cands)) {
        this.tidyKey(ti, key);
        return;
      }
    }
    // First step: windows and new partials.
    const step0 = T.steps[0];
    if (!step0 || step0.node === null) return;
    if (!this.markQualifying(T, step0.atoms, null)) {
      if (ks) this.tidyKey(ti, key);
      return;
    }
    if (step0.slots.length > 0) {
      ks = ks ?? this.keyState(ti, key, rec[1], rec[2]);
      touch(ks, rec);
      const w = ks.w ?? step0.slots.map((): Rec[] => []);
      ks.w = w;
      for (let i = 0; i < step0.slots.length; i++) {
        const slot = step0.slots[i] as CSlot;
        if (this.q(slot.ta)) this.insertSlot(w, i, slot, rec);
      }
    }
    const bound = this.evalNode(step0.node, rec, ks?.w ?? NO_SLOTS);
    if (bound !== null && T.steps.length === 1) {
      // A one-step pattern completes at once: no partial, no key state needed for it.
      const m = makeMatch(T, this.shapes, key, [bound], 'event', rec[1], null);
      cands.push({ m, ti });
      if (this.obs) traceComplete(this.obs, T, m, null, rec[0]);
      if (ks) this.applySkip(T, key, ks, [bound], rec);
    } else if (bound !== null && !(T.startPolicy === 'earliest' && (ks?.p?.length ?? 0) > 0)) {
      // (under `earliest`, a first step is ignored while a partial is open)
      ks = ks ?? this.keyState(ti, key, rec[1], rec[2]);
      touch(ks, rec);
      this.openPartial(T, key, ks, bound, rec, cands);
    }
    if (ks) this.tidyKey(ti, key);
  }

  /** Offers the event to the key's open partials; returns false when a skip rule used it up. */
  private advancePartials(T: CTrigger, key: string, ks: KeyState, rec: Rec, cands: Cand[]): boolean {
    const ps = ks.p as PartialState[];
    // A completion's skip rule may remove later partials: iterate over a copy, skip the removed.
    const list = ps.slice();
    for (const p of list) {
      if (!ps.includes(p)) continue;
      const j = p.j;
      const r = this.advancePartial(T, key, p, rec);
      if (this.obs) this.traceAdvance(T, key, p, j, r, rec);
      if (r === 'kill') this.removePartial(T.index, key, ks, p);
      else if (r === 'complete') {
        this.removePartial(T.index, key, ks, p);
        const m = makeMatch(T, this.shapes, key, p.b, 'event', rec[1], null);
        cands.push({ m, ti: T.index });
        if (this.obs) traceComplete(this.obs, T, m, p.n, rec[0]);
        if (!this.applySkip(T, key, ks, p.b, rec)) return false;
      }
    }
    return true;
  }

  /** Opens a partial on a bound first step; the oldest beyond maxPartialsPerKey are evicted. */
  private openPartial(T: CTrigger, key: string, ks: KeyState, bound: Rec[], rec: Rec, cands: Cand[]): void {
    const ti = T.index;
    if (T.startPolicy === 'latest' && ks.p)
      for (const p of ks.p.slice()) {
        if (this.obs) traceKill(this.obs, T, key, p, 'superseded', rec[1], rec[0]);
        this.removePartial(ti, key, ks, p);
      }
    const first = bound[0] as Rec;
    const tstate = this.ts[ti] as TriggerState;
    const p: PartialState = { n: tstate.n++, st: [first[1], first[2]], j: 0, b: [bound], lt: rec[1] };
    if (this.obs) tracePartial(this.obs, 'opened', T, key, p, 0, rec);
    if (this.afterBind(T, key, p, rec[1])) {
      const m = makeMatch(T, this.shapes, key, p.b, 'event', rec[1], null);
      cands.push({ m, ti });
      if (this.obs) traceComplete(this.obs, T, m, p.n, rec[0]);
      this.applySkip(T, key, ks, p.b, rec);
      return;
    }
    const ps = ks.p ?? [];
    ks.p = ps;
    ps.push(p);
    insertionSort(ps, partialCmp);
    while (ps.length > T.maxPartials) {
      if (this.obs) traceKill(this.obs, T, key, ps[0] as PartialState, 'eviction', rec[1], rec[0]);
      this.sink.push(partialEvicted(T, key, ps[0] as PartialState));
      this.removePartial(ti, key, ks, ps[0] as PartialState);
      this.st.evictions.partials++;
    }
  }

  /**
   * Moves a partial past a step it just bound (skipping a middle absent, arming the final
   * absent's deadline). Returns true when the match is complete.
   */
  private afterBind(T: CTrigger, key: string, p: PartialState, t: number): boolean {
    let next = p.j + 1;
    if (next >= T.steps.length) return true;
    const s = T.steps[next];
    if (s && s.kind === 'absent') {
      p.b[next] = [];
      if (next === T.steps.length - 1) {
        p.j = next;
        p.dl = t + (s.forMs ?? 0);
        this.addTimer({ d: p.dl, ti: T.index, k: key, n: p.n });
        return false;
      }
      next++;
    }
    p.j = next;
    return false;
  }

  private advancePartial(T: CTrigger, key: string, p: PartialState, rec: Rec): 'keep' | 'kill' | 'complete' {
    const step = T.steps[p.j];
    if (!step) return 'kill';
    if (step.kind === 'absent') {
      // Final absent: a qualifying event before the deadline kills the partial.
      return this.qualifies(T, step.absentTa, p) && rec[1] < (p.dl ?? Infinity) ? 'kill' : 'keep';
    }
    if (T.within !== null && rec[1] >= p.st[0] + T.within) return 'kill';
    if (step.maxGap !== null && rec[1] >= p.lt + step.maxGap) return 'kill';
    const guard = T.steps[p.j - 1];
    if (guard && guard.kind === 'absent' && this.qualifies(T, guard.absentTa, p)) return 'kill';
    if (!this.markQualifying(T, step.atoms, p)) return step.strict ? 'kill' : 'keep';
    if (step.slots.length > 0) {
      const pw = p.pw ?? step.slots.map((): Rec[] => []);
      p.pw = pw;
      for (let i = 0; i < step.slots.length; i++) {
        const slot = step.slots[i] as CSlot;
        if (this.q(slot.ta)) this.insertSlot(pw, i, slot, rec);
      }
    }
    const bound = step.node === null ? null : this.evalNode(step.node, rec, p.pw ?? NO_SLOTS);
    if (bound === null) return 'keep';
    p.b[p.j] = bound;
    p.lt = rec[1];
    delete p.pw;
    return this.afterBind(T, key, p, rec[1]) ? 'complete' : 'keep';
  }

  /** Traces what advancePartial did to `p` (which awaited step `j`); only called with an observer. */
  private traceAdvance(T: CTrigger, key: string, p: PartialState, j: number, r: string, rec: Rec): void {
    const obs = this.obs as EngineObserver;
    if (r === 'kill') traceKill(obs, T, key, p, this.killCause(T, p, rec), rec[1], rec[0]);
    else if (p.j !== j || r === 'complete') tracePartial(obs, 'advanced', T, key, p, j, rec);
  }

  /** Why advancePartial killed `p`: its checks again, in its order (docs/triggers.md §3.6). */
  private killCause(T: CTrigger, p: PartialState, rec: Rec): KillCause {
    const step = T.steps[p.j];
    if (!step || step.kind === 'absent') return 'negative';
    if (T.within !== null && rec[1] >= p.st[0] + T.within) return 'window';
    if (step.maxGap !== null && rec[1] >= p.lt + step.maxGap) return 'window';
    const guard = T.steps[p.j - 1];
    return guard && guard.kind === 'absent' && this.qualifies(T, guard.absentTa, p) ? 'negative' : 'strict';
  }

  private removePartial(ti: number, key: string, ks: KeyState, p: PartialState): void {
    const ps = ks.p;
    if (!ps) return;
    const i = ps.indexOf(p);
    if (i >= 0) removeAt(ps, i);
    this.dropPartialTimer(ti, key, p);
  }

  /**
   * The after-match strategy, applied after each match of the key (docs/triggers.md §3.8).
   * Returns false when it used up the current event `rec`.
   */
  private applySkip(T: CTrigger, key: string, ks: KeyState, b: Rec[][], rec: Rec | null): boolean {
    if (T.afterMatch === 'overlap') return true;
    if (T.afterMatch === 'pastLast') {
      let last: Rec | null = null;
      for (const recs of b)
        if (recs) for (const r of recs) if (last === null || recCmp(r, last) > 0) last = r;
      if (last === null) return true;
      const lt = last[1];
      const ls = last[2];
      if (ks.p)
        for (const p of ks.p.slice())
          if (posLe(p.st[0], p.st[1], lt, ls)) {
            if (this.obs) traceKill(this.obs, T, key, p, 'superseded', rec?.[1] ?? lt, rec?.[0] ?? null);
            this.removePartial(T.index, key, ks, p);
          }
      if (ks.w) for (const l of ks.w) if (l) dropUpTo(l, lt, ls);
      return !(rec !== null && posLe(rec[1], rec[2], lt, ls));
    }
    // consume: bound events leave every other partial and window of the key.
    const ids: number[] = [];
    for (const recs of b) if (recs) for (const r of recs) ids.push(r[2]);
    if (ks.p)
      for (const p of ks.p.slice()) {
        if (p.b.some((step) => step.some((r) => ids.includes(r[2])))) {
          if (this.obs) traceKill(this.obs, T, key, p, 'superseded', rec?.[1] ?? ks.u[0], rec?.[0] ?? null);
          this.removePartial(T.index, key, ks, p);
        } else if (p.pw) for (const l of p.pw) if (l) dropSeqs(l, ids);
      }
    if (ks.w) for (const l of ks.w) if (l) dropSeqs(l, ids);
    return !(rec !== null && ids.includes(rec[2]));
  }

  // ---------------------------------------------------------------- deadlines

  private processDeadlines(d: number, out: Output[]): void {
    let n = 0;
    while (n < this.timers.length && (this.timers[n] as Timer).d === d) n++;
    const due = this.timers.splice(0, n);
    // Rank window close first: candidates at exactly the close instant belong to the next window.
    if (due.some((x) => x.ti === -1)) {
      this.rankClose = null;
      const held = this.held;
      this.held = [];
      this.resolve(
        held.map((m) => ({ m, ti: this.indexOf(m.triggerId) })),
        out,
      );
    }
    const items = due
      .filter((x) => x.ti >= 0)
      .map((x) => {
        const ks = this.keys[x.ti]?.get(x.k);
        const p = x.n >= 0 ? ks?.p?.find((y) => y.n === x.n) : undefined;
        const st = p ? p.st : ks?.ia?.l ? [ks.ia.l[1], ks.ia.l[2]] : [-Infinity, -1];
        return { x, st: st as [number, number] };
      })
      .sort(
        (a, b) =>
          a.x.ti - b.x.ti || a.st[0] - b.st[0] || a.st[1] - b.st[1] || strCmp(a.x.k, b.x.k) || a.x.n - b.x.n,
      );
    const cands: Cand[] = [];
    for (const { x } of items) {
      const T = this.set.triggers[x.ti] as CTrigger;
      if (x.n === -2) {
        const fired = fireCalendar(T, this.ts[x.ti] as TriggerState, this.shapes, d);
        // A vetoed instant is reported, outside arbitration (it takes no group slot).
        if (fired?.skipped) {
          this.st.suppressed++;
          out.push(fired.m);
        } else if (fired) cands.push({ m: fired.m, ti: x.ti });
        continue;
      }
      const ks = this.keys[x.ti]?.get(x.k);
      if (!ks) continue;
      if (x.n === -1) {
        if (!ks.ia || ks.ia.d !== d) continue;
        const l = ks.ia.l;
        const m = makeMatch(T, this.shapes, x.k, [l ? [l] : []], 'absence', d, d);
        cands.push({ m, ti: x.ti });
        if (this.obs) traceComplete(this.obs, T, m, null, null);
        // Fires once per silent period: the next qualifying event re-arms it.
        ks.ia.d = null;
        continue;
      }
      const p = ks.p?.find((y) => y.n === x.n);
      if (!p || p.dl !== d) continue;
      this.removePartial(x.ti, x.k, ks, p);
      const m = makeMatch(T, this.shapes, x.k, p.b, 'absence', d, d);
      cands.push({ m, ti: x.ti });
      if (this.obs) traceComplete(this.obs, T, m, p.n, null);
      this.applySkip(T, x.k, ks, p.b, null);
      this.tidyKey(x.ti, x.k);
    }
    if (cands.length > 0) this.arbitrate(cands, d, out);
  }

  private indexOf(triggerId: string): number {
    return this.set.triggers.findIndex((t) => t.id === triggerId);
  }

  // ---------------------------------------------------------------- matches

  private arbitrate(cands: Cand[], now: number, out: Output[]): void {
    if (this.config.arbitration === 'immediate') {
      this.resolve(cands, out);
      return;
    }
    for (const c of cands) this.held.push(c.m);
    if (this.rankClose === null) {
      this.rankClose = now + this.config.rankWindow;
      this.addTimer({ d: this.rankClose, ti: -1, k: '', n: -1 });
    }
    if (this.held.length > MAX_RANKED_HELD) {
      // Bounded state: close the window early rather than grow.
      this.st.evictions.ranked++;
      this.removeTimer(this.rankClose, -1, '', -1);
      this.rankClose = null;
      const held = this.held;
      this.held = [];
      this.resolve(
        held.map((m) => ({ m, ti: this.indexOf(m.triggerId) })),
        out,
      );
    }
  }

  /** Arbitration of one evaluation step (or one rank window), then re-entry on winners. */
  private resolve(cands: Cand[], out: Output[]): void {
    const sorted = arbitrationOrder(cands);
    const groupWon: Record<string, true> = {};
    let dropAbove = -Infinity;
    for (const { m, ti } of sorted) {
      const T = this.set.triggers[ti];
      if (m.group !== undefined && groupWon[m.group]) {
        m.status = 'suppressed';
        m.reason = 'group';
      } else if (m.priority < dropAbove) {
        m.status = 'suppressed';
        m.reason = 'dropLower';
      } else {
        if (m.group !== undefined) groupWon[m.group] = true;
        if (T?.dropLower) dropAbove = Math.max(dropAbove, m.priority);
        if (T && !this.reentryAllows(T, m)) {
          m.status = 'suppressed';
          m.reason = 'reentry';
        } else m.status = 'fired';
      }
      if (m.status === 'fired') this.st.fired++;
      else this.st.suppressed++;
      this.obs?.decided(m);
      out.push(m);
    }
  }

  private reentryAllows(T: CTrigger, m: MatchOutput): boolean {
    const tstate = this.ts[T.index] as TriggerState;
    let holder: { f?: number } = tstate;
    if (T.reentryScope === 'key') holder = this.keyState(T.index, m.key, m.matchedAt, -1);
    const last = holder.f;
    // Re-entry runs in workflow time (docs/triggers.md §3.10): the instant a winner is emitted
    // (the arrival clock), not its matchedAt, so a ranked hold or a buffered release counts
    // from its release. The arrival clock is a function of the input: replay stays deterministic.
    const emittedAt = this.arrival ?? m.matchedAt;
    let ok = true;
    if (T.reentryMode === 'once') ok = last === undefined;
    else if (T.reentryMode === 'cooldown') ok = last === undefined || emittedAt >= last + T.cooldown;
    if (ok && T.reentryMode !== 'always') holder.f = emittedAt;
    return ok;
  }

  // ---------------------------------------------------------------- restore

  private restore(s: EngineState): void {
    if (s === null || typeof s !== 'object' || s.format !== 1 || typeof s.clock !== 'object') {
      throw new TriggerError(
        'INVALID_STATE',
        'the saved engine state is not a format-1 snapshot: start the engine without it or pass the value returned by snapshot()',
      );
    }
    const copy = JSON.parse(JSON.stringify(s)) as EngineState;
    this.arrival = copy.clock.arrival;
    this.watermark = copy.clock.watermark;
    this.seq = copy.clock.seq;
    this.dedupe.load(copy.dedupe.h, copy.dedupe.at);
    this.st = copy.stats;
    // Snapshots taken before the counter existed lack it.
    this.st.unkeyed ??= 0;
    // Buffered events carry per-set precomputations: only valid for the same trigger set.
    if (copy.fingerprint === this.set.fingerprint) this.buffer = copy.buffer;
    else this.st.restoreDropped += copy.buffer.length;
    this.set.triggers.forEach((T, ti) => {
      const saved = copy.triggers[T.id];
      if (!saved) return;
      if (saved.v !== T.version) {
        this.st.restoreDropped++;
        return;
      }
      const keys = new Map<string, KeyState>();
      this.keys[ti] = keys;
      for (const key of Object.keys(saved.k).sort()) {
        const ks = saved.k[key] as KeyState;
        keys.set(key, ks);
        for (const p of ks.p ?? []) if (p.dl !== undefined) this.addTimer({ d: p.dl, ti, k: key, n: p.n });
        if (ks.ia && ks.ia.d !== null) this.addTimer({ d: ks.ia.d, ti, k: key, n: -1 });
      }
      if (saved.c && saved.c.a !== null) this.addTimer({ d: saved.c.a, ti, k: '', n: -2 });
      // Assigned, not deleted: `k` keeps its place in the saved object's key order.
      saved.k = {};
      this.ts[ti] = saved;
    });
    for (const id of Object.keys(copy.triggers)) if (this.indexOf(id) === -1) this.st.restoreDropped++;
    this.activated = this.set.triggers.every(
      (T, ti) => T.inactivity === null || (this.ts[ti] as TriggerState).act !== undefined,
    );
    this.rankClose = copy.rank.close;
    this.held = copy.rank.held.filter((m) => this.indexOf(m.triggerId) !== -1);
    if (this.rankClose !== null) this.addTimer({ d: this.rankClose, ti: -1, k: '', n: -1 });
    // Timers at one instant are processed in a fixed order regardless of insertion order.
    this.timers.sort((a, b) => a.d - b.d);
  }
}
