// The deterministic matcher of docs/triggers.md §3. Pure: no I/O, no clock, no randomness; saved state
// is plain JSON (objects/arrays only) and runtime indexes (timers, dedupe lookup) are rebuilt
// from it on restore, so restoring a snapshot and continuing equals never stopping.
import { calendarViews, armCalendar, noteUnless } from './calendar-arms';
import { isSafeAscii, projectEvent, type CompiledSet, type CTrigger } from './compile';
import { arbitrate } from './engine-arbitration';
import { resolveEngineConfig, type ResolvedConfig } from './engine-config';
import type { EngineConfig, EngineConfigInput } from './engine-config.schema';
import { EngineCore } from './engine-core';
import { evalPred } from './engine-eval';
import { isEpochMs, keyOf, NO_HITS, project, type Cand, type Timer } from './engine-helpers';
import { activate, inactivityEvent } from './engine-inactivity';
import { processDeadlines } from './engine-deadlines';
import { stepsEvent } from './engine-seq';
import { compiledSetFor } from './engine-set';
import { partialViews, restore, snapshotState } from './engine-snapshot';
import type {
  BufRec,
  CalendarView,
  EngineState,
  EngineStats,
  MatchEvent,
  Output,
  PartialMatchView,
  Rec,
  TriggerState,
} from './engine.types';
import { scoreCrossings } from './score-state';
import { SCORE_EVENT } from './score.schema';
import type { EngineObserver, EngineOptions } from './trace';
import type { Trigger } from './trigger.schema';

export { resolveEngineConfig, type ResolvedConfig } from './engine-config';
export { MAX_RANKED_HELD } from './engine-arbitration';

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
  return new Matcher(compiledSetFor(triggers, cfg), cfg, restored, options?.observer);
}

/** The engine: its public API, event intake (checks, dedupe, lateness, buffer) and the clock. */
class Matcher extends EngineCore implements Engine {
  constructor(set: CompiledSet, config: ResolvedConfig, restored?: EngineState, obs?: EngineObserver) {
    super(set, config, obs);
    if (restored) restore(this, restored);
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
    if (this.buffer.length === 0) activate(this, this.watermark);
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
    return snapshotState(this);
  }

  partials(): PartialMatchView[] {
    return partialViews(this);
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
      if (dueT !== null && (dueE === null || dueT <= dueE[2])) processDeadlines(this, dueT, out);
      else {
        this.buffer.shift();
        // Activation at the first processed event: under the event basis that is the
        // earliest event in event time whatever the arrival order.
        activate(this, (dueE as BufRec)[2]);
        this.processEvent(dueE as BufRec, out);
      }
    }
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
              evalPred(this, c, b[4], v, T.index, null),
            );
      if (T.calendar !== null) {
        // A schedule's `unless` atom: only the latest qualifying time is kept.
        const atom = T.atoms[T.calendar.unlessTa];
        if (atom && evalPred(this, atom.where, b[4], v, T.index, null))
          noteUnless(this.ts[T.index] as TriggerState, rec[1]);
      } else if (T.inactivity !== null) inactivityEvent(this, T, key, rec, v, b[4]);
      else stepsEvent(this, T, key, rec, cands);
    }
    if (cands.length > 0) arbitrate(this, cands, b[2], out);
  }
}
