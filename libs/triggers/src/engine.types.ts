import type { V } from './compile';

/** An event as the matcher sees it (docs/triggers.md §1). */
export type MatchEvent = {
  /** Producer id, unique per customer: the dedupe key. */
  id: string;
  /** Event name, e.g. "cart.updated". */
  name: string;
  /** Event time, epoch ms (producer clock). */
  ts: number;
  /** Epoch ms stamped by the gateway on receipt. */
  receivedAt: number;
  properties: Record<string, unknown>;
};

/** A completed match, fired or suppressed (with the reason). */
export type MatchOutput = {
  type: 'match';
  triggerId: string;
  version: number;
  /** Correlation key ("" when the trigger is not correlated). */
  key: string;
  /** hash(triggerId, version, key, bound ids in step order, deadline): the downstream idempotency key. */
  matchId: string;
  /** `time`: a date or schedule instant (docs/triggers.md §3.12). */
  kind: 'event' | 'absence' | 'time';
  matchedAt: number;
  /** One entry per `as` name (or step index for steps without `as`): bound ids, oldest first. */
  bindings: Record<string, string[]>;
  /** Every bound event id in step order. */
  eventIds: string[];
  priority: number;
  group?: string;
  status: 'fired' | 'suppressed';
  /** `unless`: a schedule instant vetoed by a recent `unless` event (docs/triggers.md §3.13). */
  reason?: 'group' | 'dropLower' | 'reentry' | 'unless';
};
/** An event older than the watermark: reported, never matched. */
export type LateOutput = { type: 'late'; eventId: string; time: number };
/** An event whose id was already seen within the dedupe horizon: dropped. */
export type DuplicateOutput = { type: 'duplicate'; eventId: string };
/** An event the matcher cannot accept (malformed id, name or times): dropped. */
export type RejectedOutput = { type: 'rejected'; eventId: string; message: string };
/**
 * A key or partial match dropped by a `limits` bound (docs/triggers.md §5), with what it held:
 * the partial matches, the ids of the events it had bound or windowed, and whether a re-entry
 * or inactivity state went with it. Informational: consumers that only act on matches ignore it.
 */
export type EvictedOutput = {
  type: 'evicted';
  triggerId: string;
  key: string;
  what: 'key' | 'partial';
  partials: number;
  eventIds: string[];
  reentry: boolean;
  inactivity: boolean;
};
/** Everything `ingest` and `advanceTo` return, in emission order. */
export type Output = MatchOutput | LateOutput | DuplicateOutput | RejectedOutput | EvictedOutput;

/** A partial match as shown by the journey query. */
export type PartialMatchView = { triggerId: string; key: string; startedAt: number; deadline: number | null };

/** Counters kept in the saved state. */
export type EngineStats = {
  events: number;
  duplicates: number;
  late: number;
  rejected: number;
  fired: number;
  suppressed: number;
  evictions: { keys: number; partials: number; dedupe: number; buffer: number; ranked: number };
  /** Trigger states or buffered events dropped on restore because the trigger set changed. */
  restoreDropped: number;
  /** Events a correlated trigger ignored because a `correlate.by` value was missing or null. */
  unkeyed: number;
};

/** A bound or windowed event: [id, time, seq, trigger atom index, projected values?]. */
export type Rec = [string, number, number, number, V[]?];
/** A buffered event: [id, name, time, seq, leaf bits, projected values]. */
export type BufRec = [string, string, number, number, string, V[]];

export type PartialState = {
  /** Serial number within the trigger. */
  n: number;
  /** (time, seq) of the first bound event. */
  st: [number, number];
  /** Index of the next step to bind (or of the final absent step). */
  j: number;
  /** Bound events per step index. */
  b: Rec[][];
  /** Time of the last binding. */
  lt: number;
  /** Events collected for the pending count/all/any step, per slot. */
  pw?: Rec[][];
  /** Deadline of the final absent step. */
  dl?: number;
};

export type KeyState = {
  /** (time, seq) of the last event that touched the key: eviction order. */
  u: [number, number];
  /** First-step windows per slot. */
  w?: Rec[][];
  p?: PartialState[];
  /** emittedAt (workflow time) of the last fired winner (reentry scope "key"). */
  f?: number;
  /** Inactivity: deadline and last qualifying event. */
  ia?: { d: number | null; l: Rec | null };
};

/** A date or schedule trigger's saved state (docs/triggers.md §3.12). */
export type CalendarState = {
  /** The armed instant, or null. */
  a: number | null;
  /** The last instant fired (or vetoed): nothing at or before it is armed again. */
  l?: number;
  /** Time of the latest event matching `unless`. */
  u?: number;
  /** Why nothing is armed (the host's note: missing or unparsable date...), or `passed`. */
  s?: string;
};

/** A date or schedule trigger as the host and the journey query see it. */
export type CalendarView = {
  triggerId: string;
  kind: 'date' | 'schedule';
  at: number | null;
  lastAt: number | null;
  note?: string;
  /** True when the host should compute and arm the next instant (never armed, or just fired). */
  needsArming: boolean;
};

export type TriggerState = {
  v: number;
  /** Next partial serial. */
  n: number;
  /** emittedAt (workflow time) of the last fired winner (reentry scope "trigger"). */
  f?: number;
  /** Activation time (inactivity). */
  act?: number;
  k: Record<string, KeyState>;
  /** Date and schedule triggers only. */
  c?: CalendarState;
  /** Score atoms (trigger atom indexes) disarmed until the score leaves the hysteresis band (docs/triggers.md §3.14). */
  h?: number[];
};

/** The engine's saved state: plain JSON, bounded, restorable anywhere (docs/triggers.md §4, §5). */
export type EngineState = {
  format: 1;
  fingerprint: string;
  clock: { arrival: number | null; watermark: number | null; seq: number };
  dedupe: { h: string[]; at: number[] };
  buffer: BufRec[];
  triggers: Record<string, TriggerState>;
  rank: { close: number | null; held: MatchOutput[] };
  stats: EngineStats;
};
