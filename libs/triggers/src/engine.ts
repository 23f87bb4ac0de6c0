// The deterministic matcher of docs/triggers.md §3. Pure: no I/O, no clock, no randomness; saved state
// is plain JSON (objects/arrays only) and runtime indexes (timers, dedupe lookup) are rebuilt
// from it on restore, so restoring a snapshot and continuing equals never stopping.
import {
  compileSet,
  projectEvent,
  type CNode,
  type CompiledSet,
  type CPred,
  type CSlot,
  type CTrigger,
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
} from './engine.types';
import { TriggerError } from './errors';
import { keyEvicted, partialEvicted } from './eviction-report';
import { fnv1a64, sha256Hex } from './hash';
import { computeStateBound, STATE_BUDGET_BYTES } from './state-bound';
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
const SAFE_ID = /^[\x21\x23-\x5b\x5d-\x7e]{1,128}$/;

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
function recCmp(a: Rec, b: Rec): number {
  return a[1] - b[1] || a[2] - b[2];
}
function strCmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
 * @throws TriggerError `STATE_BUDGET_EXCEEDED` when the set's static state bound exceeds 192 KiB,
 *   `INVALID_ENGINE_CONFIG`, `INVALID_STATE`.
 */
export function createEngine(
  triggers: readonly Trigger[],
  config?: EngineConfigInput | EngineConfig,
  restored?: EngineState,
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
  return new Matcher(set, cfg, restored);
}

class Matcher implements Engine {
  private arrival: number | null = null;
  private watermark: number | null = null;
  private seq = 0;
  private ddH: string[] = [];
  private ddAt: number[] = [];
  private ddHead = 0;
  private ddIndex = new Map<string, true>();
  private buffer: BufRec[] = [];
  private ts: TriggerState[];
  private keyCount: number[];
  private timers: Timer[] = [];
  private rankClose: number | null = null;
  /** Runtime only: every inactivity trigger has its activation time. */
  private activated = false;
  private held: MatchOutput[] = [];
  private st: EngineStats = emptyStats();
  /** Runtime only: the output list of the running ingest/advanceTo, where evictions are reported. */
  private sink: Output[] = [];
  private readonly asIndex: Record<string, { step: number; atoms: number[] }>[];

  constructor(
    private readonly set: CompiledSet,
    readonly config: ResolvedConfig,
    restored?: EngineState,
  ) {
    this.ts = set.triggers.map((t) => ({ v: t.version, n: 0, k: {} }));
    this.keyCount = set.triggers.map(() => 0);
    this.asIndex = set.triggers.map((t) => {
      const idx: Record<string, { step: number; atoms: number[] }> = Object.create(null) as Record<
        string,
        { step: number; atoms: number[] }
      >;
      for (const b of t.bindingKeys) idx[b.key] = { step: b.step, atoms: b.atoms };
      return idx;
    });
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
    this.pruneDedupe(Math.max(this.arrival ?? ev.receivedAt, ev.receivedAt));
    const h = fnv1a64(ev.id);
    if (this.ddIndex.has(h)) {
      this.st.duplicates++;
      out.push({ type: 'duplicate', eventId: ev.id });
      return out;
    }
    const a = this.arrival === null ? ev.receivedAt : Math.max(this.arrival, ev.receivedAt);
    this.arrival = a;
    this.ddH.push(h);
    this.ddAt.push(a);
    this.ddIndex.set(h, true);
    while (this.ddH.length - this.ddHead > this.config.dedupeCapacity) {
      this.ddIndex.delete(this.ddH[this.ddHead] as string);
      this.ddHead++;
      this.st.evictions.dedupe++;
    }
    this.compactDedupe();
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
    const info = this.set.byName[ev.name];
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
      const k: Record<string, KeyState> = {};
      for (const key of Object.keys(t.k).sort()) k[key] = t.k[key] as KeyState;
      triggers[id] = { ...t, k };
    }
    const state: EngineState = {
      format: 1,
      fingerprint: this.set.fingerprint,
      clock: { arrival: this.arrival, watermark: this.watermark, seq: this.seq },
      dedupe: { h: this.ddH.slice(this.ddHead), at: this.ddAt.slice(this.ddHead) },
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
      for (const key of Object.keys(tstate.k).sort()) {
        const ks = tstate.k[key] as KeyState;
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

  // ---------------------------------------------------------------- time

  private checkEvent(ev: MatchEvent): string | null {
    if (ev === null || typeof ev !== 'object') return 'the event is not an object';
    if (typeof ev.id !== 'string' || !SAFE_ID.test(ev.id))
      return 'id must be 1-128 printable ASCII characters without quotes or backslashes';
    if (typeof ev.name !== 'string' || ev.name.length === 0 || ev.name.length > 100)
      return 'name must be 1-100 characters';
    if (!isEpochMs(ev.ts)) return 'ts must be integer epoch milliseconds';
    if (!isEpochMs(ev.receivedAt)) return 'receivedAt must be integer epoch milliseconds';
    if (ev.properties === null || typeof ev.properties !== 'object' || Array.isArray(ev.properties))
      return 'properties must be an object';
    return null;
  }

  private pruneDedupe(now: number): void {
    // Half-open, like every window (docs/triggers.md §3.2): seen at `at`, an id is a duplicate
    // for arrivals in [at, at + horizon).
    const limit = now - this.config.dedupeHorizon;
    while (this.ddHead < this.ddH.length && (this.ddAt[this.ddHead] as number) <= limit) {
      this.ddIndex.delete(this.ddH[this.ddHead] as string);
      this.ddHead++;
    }
  }

  private compactDedupe(): void {
    if (this.ddHead > 512 && this.ddHead * 2 > this.ddH.length) {
      this.ddH = this.ddH.slice(this.ddHead);
      this.ddAt = this.ddAt.slice(this.ddHead);
      this.ddHead = 0;
    }
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
    b.splice(lo, 0, rec);
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
    this.timers.splice(this.timerIndex(t.d), 0, t);
  }

  private removeTimer(d: number, ti: number, k: string, n: number): void {
    for (let i = this.timerIndex(d) - 1; i >= 0; i--) {
      const x = this.timers[i] as Timer;
      if (x.d !== d) break;
      if (x.ti === ti && x.k === k && x.n === n) {
        this.timers.splice(i, 1);
        return;
      }
    }
  }

  private dropPartialTimer(ti: number, key: string, p: PartialState): void {
    if (p.dl !== undefined) this.removeTimer(p.dl, ti, key, p.n);
  }

  // ---------------------------------------------------------------- keys

  private keyState(ti: number, key: string, t: number, s: number): KeyState {
    const tstate = this.ts[ti] as TriggerState;
    let ks = tstate.k[key];
    if (ks) return ks;
    const T = this.set.triggers[ti] as CTrigger;
    if ((this.keyCount[ti] as number) >= T.maxKeys) {
      // Evict the least recently touched key (ties by key) and everything it holds.
      let victim: string | null = null;
      let vu: [number, number] = [Infinity, Infinity];
      for (const k of Object.keys(tstate.k)) {
        const u = (tstate.k[k] as KeyState).u;
        if (
          u[0] < vu[0] ||
          (u[0] === vu[0] && (u[1] < vu[1] || (u[1] === vu[1] && victim !== null && k < victim)))
        ) {
          victim = k;
          vu = u;
        }
      }
      if (victim !== null) {
        this.sink.push(keyEvicted(T, victim, tstate.k[victim] as KeyState));
        this.deleteKey(ti, victim);
        this.st.evictions.keys++;
      }
    }
    ks = { u: [t, s] };
    tstate.k[key] = ks;
    this.keyCount[ti] = (this.keyCount[ti] as number) + 1;
    return ks;
  }

  private deleteKey(ti: number, key: string): void {
    const tstate = this.ts[ti] as TriggerState;
    const ks = tstate.k[key];
    if (!ks) return;
    for (const p of ks.p ?? []) this.dropPartialTimer(ti, key, p);
    if (ks.ia && ks.ia.d !== null) this.removeTimer(ks.ia.d, ti, key, -1);
    delete tstate.k[key];
    this.keyCount[ti] = (this.keyCount[ti] as number) - 1;
  }

  /** Drops a key state that holds nothing, so idle keys cost no state. */
  private tidyKey(ti: number, key: string): void {
    const ks = (this.ts[ti] as TriggerState).k[key];
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
      case 'ref': {
        if (p === null) return false;
        const target = this.lookupAs(ti, p, c.as);
        return target !== null && refCompare(c.op, v?.[c.left], target[4]?.[c.right]);
      }
    }
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
    if (drop > 0) list.splice(0, drop);
    if (slot.distinct >= 0) {
      const val = rec[4]?.[slot.distinct];
      if (!isScalarV(val)) return;
      for (let i = list.length - 1; i >= 0; i--)
        if ((list[i] as Rec)[4]?.[slot.distinct] === val) list.splice(i, 1);
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

  private evalNode(node: CNode, rec: Rec, slots: Rec[][], q: (ta: number) => boolean): Rec[] | null {
    switch (node.k) {
      case 'atom':
        return q(node.ta) ? [[rec[0], rec[1], rec[2], node.ta, rec[4]] as Rec] : null;
      case 'count':
        return q(node.ta)
          ? this.pickCount(slots[node.slot], rec[1] - node.within, node.atLeast, node.distinct, [])
          : null;
      case 'all':
        return this.evalAll(node, rec, slots, q);
      case 'any':
        for (const c of node.of) {
          const r = this.evalNode(c, rec, slots, q);
          if (r !== null) return r;
        }
        return null;
    }
  }

  private evalAll(
    node: Extract<CNode, { k: 'all' }>,
    rec: Rec,
    slots: Rec[][],
    q: (ta: number) => boolean,
  ): Rec[] | null {
    let relevant = false;
    for (const c of node.of) if ((c.k === 'atom' || c.k === 'count') && q(c.ta)) relevant = true;
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
    return res.sort(recCmp);
  }

  // ---------------------------------------------------------------- events

  private processEvent(b: BufRec, out: Output[]): void {
    const info = this.set.byName[b[1]];
    if (!info) return;
    const cands: Cand[] = [];
    for (const it of info.triggers) {
      const T = this.set.triggers[it.ti] as CTrigger;
      const v = T.vp.length > 0 ? it.vpMap.map((pos) => b[5][pos] ?? null) : undefined;
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
          : [b[0], b[2], b[3], -1, v.slice(0, T.storedVp)];
      if (T.inactivity !== null) this.inactivityEvent(T, key, rec, v, b[4]);
      else this.stepsEvent(T, key, rec, v, b[1], b[4], cands);
    }
    if (cands.length > 0) this.arbitrate(cands, b[2], out);
  }

  private inactivityEvent(T: CTrigger, key: string, rec: Rec, v: V[] | undefined, bits: string): void {
    const ia = T.inactivity as { ta: number; forMs: number };
    const atom = T.atoms[ia.ta];
    if (!atom || !this.evalPred(atom.where, bits, v, T.index, null)) return;
    const ks = this.keyState(T.index, key, rec[1], rec[2]);
    ks.u = [rec[1], rec[2]];
    if (ks.ia && ks.ia.d !== null) this.removeTimer(ks.ia.d, T.index, key, -1);
    const d = rec[1] + ia.forMs;
    ks.ia = { d, l: [rec[0], rec[1], rec[2], ia.ta] };
    this.addTimer({ d, ti: T.index, k: key, n: -1 });
  }

  private stepsEvent(
    T: CTrigger,
    key: string,
    rec: Rec,
    v: V[] | undefined,
    name: string,
    bits: string,
    cands: Cand[],
  ): void {
    const ti = T.index;
    const tstate = this.ts[ti] as TriggerState;
    let ks = tstate.k[key];
    const qualifies = (ta: number, p: PartialState | null): boolean => {
      const atom = T.atoms[ta];
      return atom !== undefined && atom.name === name && this.evalPred(atom.where, bits, v, ti, p);
    };
    // Availability of the current event after skip rules (consume / pastLast).
    const avail = { ok: true };
    if (ks) {
      ks.u = [rec[1], rec[2]];
      if (ks.p && ks.p.length > 0) {
        const list = ks.p.slice();
        for (const p of list) {
          if (!avail.ok) break;
          if (!ks.p.includes(p)) continue;
          const r = this.advancePartial(T, key, p, rec, qualifies);
          if (r === 'kill') this.removePartial(ti, key, ks, p);
          else if (r === 'complete') {
            this.removePartial(ti, key, ks, p);
            cands.push({ m: this.makeMatch(T, key, p.b, 'event', rec[1], null), ti });
            this.applySkip(T, key, ks, p.b, rec, avail);
          }
        }
      }
    }
    if (!avail.ok) {
      this.tidyKey(ti, key);
      return;
    }
    // First step: windows and new partials.
    const step0 = T.steps[0];
    if (!step0 || step0.node === null) return;
    let any = false;
    const q: Record<number, boolean> = {};
    for (const ta of step0.atoms)
      if (qualifies(ta, null)) {
        q[ta] = true;
        any = true;
      }
    if (!any) {
      if (ks) this.tidyKey(ti, key);
      return;
    }
    const qf = (ta: number) => q[ta] === true;
    if (step0.slots.length > 0) {
      ks = ks ?? this.keyState(ti, key, rec[1], rec[2]);
      ks.u = [rec[1], rec[2]];
      const w = ks.w ?? step0.slots.map((): Rec[] => []);
      ks.w = w;
      step0.slots.forEach((slot, i) => {
        if (q[slot.ta]) this.insertSlot(w, i, slot, rec);
      });
    }
    const bound = this.evalNode(step0.node, rec, ks?.w ?? [], qf);
    if (bound !== null && T.steps.length === 1) {
      // A one-step pattern completes at once: no partial, no key state needed for it.
      cands.push({ m: this.makeMatch(T, key, [bound], 'event', rec[1], null), ti });
      if (ks) this.applySkip(T, key, ks, [bound], rec, avail);
    } else if (bound !== null) {
      const open = ks?.p?.length ?? 0;
      if (T.startPolicy === 'earliest' && open > 0) {
        // ignored: a partial is already open
      } else {
        ks = ks ?? this.keyState(ti, key, rec[1], rec[2]);
        ks.u = [rec[1], rec[2]];
        if (T.startPolicy === 'latest')
          for (const p of (ks.p ?? []).slice()) this.removePartial(ti, key, ks, p);
        const first = bound[0] as Rec;
        const p: PartialState = { n: tstate.n++, st: [first[1], first[2]], j: 0, b: [bound], lt: rec[1] };
        if (this.afterBind(T, key, p, rec[1])) {
          cands.push({ m: this.makeMatch(T, key, p.b, 'event', rec[1], null), ti });
          this.applySkip(T, key, ks, p.b, rec, avail);
        } else {
          const ps = ks.p ?? [];
          ks.p = ps;
          ps.push(p);
          ps.sort((a, b) => a.st[0] - b.st[0] || a.st[1] - b.st[1] || a.n - b.n);
          while (ps.length > T.maxPartials) {
            this.sink.push(partialEvicted(T, key, ps[0] as PartialState));
            this.removePartial(ti, key, ks, ps[0] as PartialState);
            this.st.evictions.partials++;
          }
        }
      }
    }
    if (ks) this.tidyKey(ti, key);
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

  private advancePartial(
    T: CTrigger,
    key: string,
    p: PartialState,
    rec: Rec,
    qualifies: (ta: number, p: PartialState | null) => boolean,
  ): 'keep' | 'kill' | 'complete' {
    const step = T.steps[p.j];
    if (!step) return 'kill';
    if (step.kind === 'absent') {
      // Final absent: a qualifying event before the deadline kills the partial.
      return qualifies(step.absentTa, p) && rec[1] < (p.dl ?? Infinity) ? 'kill' : 'keep';
    }
    if (T.within !== null && rec[1] >= p.st[0] + T.within) return 'kill';
    if (step.maxGap !== null && rec[1] >= p.lt + step.maxGap) return 'kill';
    const guard = T.steps[p.j - 1];
    if (guard && guard.kind === 'absent' && qualifies(guard.absentTa, p)) return 'kill';
    const q: Record<number, boolean> = {};
    let any = false;
    for (const ta of step.atoms)
      if (qualifies(ta, p)) {
        q[ta] = true;
        any = true;
      }
    if (!any) return step.strict ? 'kill' : 'keep';
    if (step.slots.length > 0) {
      const pw = p.pw ?? step.slots.map((): Rec[] => []);
      p.pw = pw;
      step.slots.forEach((slot, i) => {
        if (q[slot.ta]) this.insertSlot(pw, i, slot, rec);
      });
    }
    const bound =
      step.node === null ? null : this.evalNode(step.node, rec, p.pw ?? [], (ta) => q[ta] === true);
    if (bound === null) return 'keep';
    p.b[p.j] = bound;
    p.lt = rec[1];
    delete p.pw;
    return this.afterBind(T, key, p, rec[1]) ? 'complete' : 'keep';
  }

  private removePartial(ti: number, key: string, ks: KeyState, p: PartialState): void {
    const ps = ks.p;
    if (!ps) return;
    const i = ps.indexOf(p);
    if (i >= 0) ps.splice(i, 1);
    this.dropPartialTimer(ti, key, p);
  }

  /** The after-match strategy, applied after each match of the key (docs/triggers.md §3.8). */
  private applySkip(
    T: CTrigger,
    key: string,
    ks: KeyState,
    b: Rec[][],
    rec: Rec | null,
    avail: { ok: boolean },
  ): void {
    if (T.afterMatch === 'overlap') return;
    const all = b.flat();
    if (T.afterMatch === 'pastLast') {
      let last: Rec | null = null;
      for (const r of all) if (last === null || recCmp(r, last) > 0) last = r;
      if (last === null) return;
      const lt = last[1];
      const ls = last[2];
      for (const p of (ks.p ?? []).slice())
        if (posLe(p.st[0], p.st[1], lt, ls)) this.removePartial(T.index, key, ks, p);
      if (ks.w) for (const l of ks.w) if (l) this.filterList(l, (r) => !posLe(r[1], r[2], lt, ls));
      if (rec !== null && posLe(rec[1], rec[2], lt, ls)) avail.ok = false;
      return;
    }
    // consume: bound events leave every other partial and window of the key.
    const ids = all.map((r) => r[2]);
    for (const p of (ks.p ?? []).slice()) {
      if (p.b.some((step) => step.some((r) => ids.includes(r[2])))) this.removePartial(T.index, key, ks, p);
      else if (p.pw) for (const l of p.pw) if (l) this.filterList(l, (r) => !ids.includes(r[2]));
    }
    if (ks.w) for (const l of ks.w) if (l) this.filterList(l, (r) => !ids.includes(r[2]));
    if (rec !== null && ids.includes(rec[2])) avail.ok = false;
  }

  private filterList(l: Rec[], keep: (r: Rec) => boolean): void {
    let j = 0;
    for (let i = 0; i < l.length; i++) if (keep(l[i] as Rec)) l[j++] = l[i] as Rec;
    l.length = j;
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
        const ks = (this.ts[x.ti] as TriggerState).k[x.k];
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
      const ks = (this.ts[x.ti] as TriggerState).k[x.k];
      if (!ks) continue;
      if (x.n === -1) {
        if (!ks.ia || ks.ia.d !== d) continue;
        const l = ks.ia.l;
        cands.push({ m: this.makeMatch(T, x.k, [l ? [l] : []], 'absence', d, d), ti: x.ti });
        // Fires once per silent period: the next qualifying event re-arms it.
        ks.ia.d = null;
        continue;
      }
      const p = ks.p?.find((y) => y.n === x.n);
      if (!p || p.dl !== d) continue;
      this.removePartial(x.ti, x.k, ks, p);
      cands.push({ m: this.makeMatch(T, x.k, p.b, 'absence', d, d), ti: x.ti });
      this.applySkip(T, x.k, ks, p.b, null, { ok: true });
      this.tidyKey(x.ti, x.k);
    }
    if (cands.length > 0) this.arbitrate(cands, d, out);
  }

  private indexOf(triggerId: string): number {
    return this.set.triggers.findIndex((t) => t.id === triggerId);
  }

  // ---------------------------------------------------------------- matches

  private makeMatch(
    T: CTrigger,
    key: string,
    b: Rec[][],
    kind: 'event' | 'absence',
    matchedAt: number,
    deadline: number | null,
  ): MatchOutput {
    const steps = b.map((recs) => (recs ?? []).slice().sort(recCmp));
    const eventIds = steps.flatMap((recs) => recs.map((r) => r[0]));
    const bindings: Record<string, string[]> = {};
    for (const e of T.bindingKeys)
      bindings[e.key] = (steps[e.step] ?? []).filter((r) => e.atoms.includes(r[3])).map((r) => r[0]);
    const matchId = sha256Hex(JSON.stringify([T.id, T.version, key, eventIds, deadline])).slice(0, 32);
    const m: MatchOutput = {
      type: 'match',
      triggerId: T.id,
      version: T.version,
      key,
      matchId,
      kind,
      matchedAt,
      bindings,
      eventIds,
      priority: T.priority,
      status: 'fired',
    };
    if (T.group !== null) m.group = T.group;
    return m;
  }

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
    const sorted = cands
      .map((c, i) => ({ c, i }))
      .sort(
        (a, b) =>
          b.c.m.priority - a.c.m.priority ||
          strCmp(a.c.m.triggerId, b.c.m.triggerId) ||
          a.c.m.matchedAt - b.c.m.matchedAt ||
          a.i - b.i,
      )
      .map((x) => x.c);
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
    this.ddH = copy.dedupe.h;
    this.ddAt = copy.dedupe.at;
    this.ddHead = 0;
    for (const h of this.ddH) this.ddIndex.set(h, true);
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
      this.ts[ti] = saved;
      this.keyCount[ti] = Object.keys(saved.k).length;
      for (const key of Object.keys(saved.k).sort()) {
        const ks = saved.k[key] as KeyState;
        for (const p of ks.p ?? []) if (p.dl !== undefined) this.addTimer({ d: p.dl, ti, k: key, n: p.n });
        if (ks.ia && ks.ia.d !== null) this.addTimer({ d: ks.ia.d, ti, k: key, n: -1 });
      }
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
