// Why and why not (docs/triggers.md §4 "Traces"): an optional observer the engine calls for
// every decision about a partial match. Without an observer the engine does no tracing work.
import type { CTrigger } from './compile';
import type { MatchOutput, PartialState, Rec } from './engine.types';
import type { KillCause, TraceEntry } from './trace.schema';

export type { TraceEntry, TraceKind, KillCause } from './trace.schema';
type TraceReason = 'arbitration' | 'reentry';

/** What the engine calls. `entry` in decision order; `decided` once a completed match is arbitrated. */
export type EngineObserver = {
  entry(e: TraceEntry): void;
  decided(m: MatchOutput): void;
};

/** Options of createEngine beyond the configuration. */
export type EngineOptions = { observer?: EngineObserver };

const KILL_RULES: Record<KillCause, string> = {
  negative: '§3.6',
  window: '§3.6',
  strict: '§3.6',
  eviction: '§5',
  superseded: '§3.8',
};

function ids(b: readonly (readonly Rec[] | undefined)[]): string[] {
  const out: string[] = [];
  for (const recs of b) if (recs) for (const r of recs) out.push(r[0]);
  return out;
}

/** A partial match opened (its first step bound) or moved past step `step`. */
export function tracePartial(
  obs: EngineObserver,
  kind: 'opened' | 'advanced',
  T: CTrigger,
  key: string,
  p: PartialState,
  step: number,
  rec: Rec,
): void {
  obs.entry({
    at: rec[1],
    kind,
    triggerId: T.id,
    key,
    partial: p.n,
    step,
    eventId: rec[0],
    eventIds: ids(p.b),
    rule: kind === 'opened' ? '§3.8' : '§3.6',
  });
}

/** A partial match discarded before completing. */
export function traceKill(
  obs: EngineObserver,
  T: CTrigger,
  key: string,
  p: PartialState,
  cause: KillCause,
  at: number,
  eventId: string | null,
): void {
  obs.entry({
    at,
    kind: 'killed',
    triggerId: T.id,
    key,
    partial: p.n,
    step: p.j,
    eventId,
    eventIds: ids(p.b),
    cause,
    rule: KILL_RULES[cause],
  });
}

/** A completed match (its arbitration outcome arrives later through `decided`). */
export function traceComplete(
  obs: EngineObserver,
  T: CTrigger,
  m: MatchOutput,
  partial: number | null,
  eventId: string | null,
): void {
  const rule = T.inactivity !== null ? '§3.7' : T.steps.length > 1 ? '§3.6' : '§3.5';
  obs.entry({
    at: m.matchedAt,
    kind: 'completed',
    triggerId: T.id,
    key: m.key,
    partial,
    step: null,
    eventId,
    eventIds: m.eventIds.slice(),
    rule,
    match: { matchId: m.matchId, status: 'fired' },
  });
}

/**
 * Collects entries, keeping at most `max`: the first ones (`keep: "first"`, a backtest trace)
 * or the most recent ones (`keep: "last"`, the journey's ring). `decided` fills in the outcome of
 * the completed entry with the same matchId, the latest one first.
 */
export class TraceRecorder implements EngineObserver {
  readonly entries: TraceEntry[];
  /** Entries left out because of `max`. */
  dropped = 0;

  constructor(
    private readonly max: number,
    private readonly keep: 'first' | 'last' = 'first',
    initial: TraceEntry[] = [],
  ) {
    this.entries = initial.slice(-max);
  }

  entry(e: TraceEntry): void {
    if (this.entries.length < this.max) this.entries.push(e);
    else if (this.keep === 'last') {
      this.entries.shift();
      this.entries.push(e);
      this.dropped++;
    } else this.dropped++;
  }

  decided(m: MatchOutput): void {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i] as TraceEntry;
      if (e.kind !== 'completed' || e.match?.matchId !== m.matchId || e.triggerId !== m.triggerId) continue;
      if (m.status === 'suppressed') {
        const reason: TraceReason = m.reason === 'reentry' ? 'reentry' : 'arbitration';
        e.match = { matchId: m.matchId, status: 'suppressed', reason };
        e.rule = reason === 'reentry' ? '§3.10' : '§3.9';
      }
      return;
    }
  }
}
