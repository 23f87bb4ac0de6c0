// The static state bound of docs/triggers.md §5: an upper bound, in bytes of serialised JSON, of the
// state one customer's engine can hold for any input stream. Every size below is the worst
// case of the encoding used by engine.ts (ids <= 128 safe characters, projected values
// <= 64 safe characters or a 16-hex token, numbers <= 24 characters).
import type { CNode, CompiledSet, CTrigger } from './compile';

/** Per-customer state budget: 192 KiB of serialised JSON. */
export const STATE_BUDGET_BYTES = 192 * 1024;

const ID = 130;
const TIME = 17; // times and seqs are safe integers (the engine rejects anything else)
const VAL = 68;
const DEDUPE_ENTRY = 19 + TIME + 1;
const FIXED = 1024; // clock, stats, format, fingerprint, rank header
const MAX_HELD = 16;

/** Worst-case bytes of one saved event record of a trigger (only stored values are kept). */
function recBytes(t: CTrigger): number {
  return 2 + ID + 3 * (TIME + 1) + (t.storedVp > 0 ? 3 + t.storedVp * (VAL + 1) : 0);
}

function boundEvents(n: CNode): number {
  switch (n.k) {
    case 'atom':
      return 1;
    case 'count':
      return n.atLeast;
    case 'all':
      return n.of.reduce((s, c) => s + boundEvents(c), 0);
    case 'any':
      return Math.max(...n.of.map(boundEvents));
  }
}

function keyBytes(t: CTrigger): number {
  if (!t.correlated) return 4;
  return 6 + t.corr.length * (VAL + 4);
}

/** Worst-case bytes of one trigger's state (all keys). */
export function triggerBound(t: CTrigger): number {
  const rec = recBytes(t);
  // Score atoms keep the list of disarmed ones (`h`, small integers).
  const header = 120 + t.id.length + (t.scores.length > 0 ? 8 + t.scores.length * 6 : 0);
  // A date or schedule trigger keeps one CalendarState: 4 numbers and a note of <= 200 characters.
  if (t.calendar !== null) return header + 4 * (TIME + 6) + 220;
  if (t.inactivity !== null) return header + t.maxKeys * (keyBytes(t) + 120 + rec);
  // A partial waiting for step j holds the bindings of the steps before j plus the events
  // collected for step j; the last binding step completes the match and is never saved
  // (unless an absence follows, which waits with every binding).
  let worst = 0;
  let before = 0;
  t.steps.forEach((st, j) => {
    if (j > 0) {
      if (st.kind === 'step') worst = Math.max(worst, before + st.slots.reduce((n, sl) => n + sl.cap, 0));
      else if (j === t.steps.length - 1) worst = Math.max(worst, before);
    }
    before += st.node ? boundEvents(st.node) : 0;
  });
  const partial =
    120 + t.steps.length * 4 + t.steps.reduce((n, st) => n + st.slots.length * 3, 0) + worst * (rec + 1);
  const window = (t.steps[0]?.slots ?? []).reduce((s, sl) => s + 3 + sl.cap * (rec + 1), 0);
  // A one-step pattern completes at once and never keeps a partial.
  const partials = t.steps.length === 1 ? 0 : t.startPolicy === 'every' ? t.maxPartials : 1;
  const perKey = keyBytes(t) + 140 + window + partials * (partial + 1);
  return header + t.maxKeys * perKey;
}

/** Worst-case bytes of one match output (ranked mode holds some in state). */
function matchBytes(t: CTrigger): number {
  const bound =
    t.inactivity !== null ? 1 : t.steps.reduce((s, st) => s + (st.node ? boundEvents(st.node) : 0), 0);
  return 400 + t.id.length * 2 + keyBytes(t) + 2 * bound * (ID + 1) + t.bindingKeys.length * 40;
}

/** The static state bound of a compiled set under an engine config. */
export function computeStateBound(
  set: CompiledSet,
  cfg: {
    basis: 'arrival' | 'event';
    dedupeCapacity: number;
    bufferMax: number;
    arbitration: 'immediate' | 'ranked';
  },
): { total: number; perTrigger: Record<string, number>; largest: string[]; dedupe: number; buffer: number } {
  const perTrigger: Record<string, number> = {};
  let triggers = 0;
  for (const t of set.triggers) {
    const b = triggerBound(t);
    perTrigger[t.id] = b;
    triggers += b + 2;
  }
  const dedupe = 40 + cfg.dedupeCapacity * DEDUPE_ENTRY;
  let buffer = 0;
  if (cfg.basis === 'event') {
    let worst = 12 + ID + 102 + 2 * (TIME + 1) + 4; // an event no trigger reads (buffered before activation)
    for (const name of set.names) {
      const info = set.byName[name];
      if (!info) continue;
      worst = Math.max(
        worst,
        12 + ID + name.length + 2 + 2 * (TIME + 1) + info.leaves.length + 2 + info.vp.length * (VAL + 1),
      );
    }
    buffer = cfg.bufferMax * (worst + 1);
  }
  const rank =
    cfg.arbitration === 'ranked' ? (MAX_HELD + 1) * Math.max(0, ...set.triggers.map(matchBytes)) : 0;
  const total = FIXED + dedupe + buffer + rank + triggers;
  const largest = Object.entries(perTrigger)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([id, n]) => `${id}: ${n} bytes`);
  return { total, perTrigger, largest, dedupe, buffer };
}
