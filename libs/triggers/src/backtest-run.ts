// A backtest (docs/api.md §11): each customer's stored events through a fresh engine, driven
// exactly as `triggers replay` and the journey drive it, and the outputs counted. Pure: the
// caller reads the events (the worker and the command line, from PostgreSQL) and saves the tally.
import { BACKTEST_SAMPLES_PER_TRIGGER, type BacktestResults, type SampleMatch } from './backtest.schema';
import { createEngine } from './engine';
import type { EngineConfigInput } from './engine-config.schema';
import type { MatchEvent, MatchOutput } from './engine.types';
import { replayCustomer, type EmittedOutput } from './replay';
import type { EngineOptions } from './trace';
import type { SuppressionReason } from './trace.schema';
import type { Trigger } from './trigger.schema';

/** One customer's events of the range, in the journey's order (received time, then id). */
export type BacktestCustomer = { customerId: string; events: MatchEvent[] };

/** The workspace-policy reasons a fired match can still be held back for. */
export type PolicyReason = Extract<SuppressionReason, 'caps' | 'quietHours' | 'minimumGap' | 'consent'>;
/** Judges one customer's winners in emission order; null lets the match through. */
export type PolicyJudge = (m: MatchOutput, emittedAt: number) => PolicyReason | null;

export type BacktestSpec = {
  /** Validated definitions, one array shared by every customer (the compiled form is cached on it). */
  triggers: readonly Trigger[];
  config?: EngineConfigInput;
  /** Range on the received time, epoch ms: [from, to). Deadlines before `to` fire. */
  from: number;
  to: number;
};

type TriggerTally = Omit<BacktestResults['triggers'][number], 'perDay'> & { perDay: Record<string, number> };
/** The running counts: plain JSON, saved with each checkpoint of a durable run. */
export type TallyState = Omit<BacktestResults, 'triggers'> & { triggers: TriggerTally[] };

const DAY = 86_400_000;

export function emptyTally(triggers: readonly Trigger[]): TallyState {
  return {
    events: 0,
    customers: 0,
    duplicates: 0,
    late: 0,
    rejected: 0,
    triggers: triggers
      .filter((t) => t.enabled !== false)
      .map((t) => ({
        triggerId: t.id,
        version: t.version,
        matches: 0,
        suppressed: { arbitration: 0, reentry: 0, caps: 0, quietHours: 0, minimumGap: 0, consent: 0 },
        customersMatched: 0,
        perDay: {},
        samples: [],
      })),
  };
}

/** The customer's outputs, exactly as `triggers replay --until to-1` gives them. */
export function runBacktestCustomer(
  spec: BacktestSpec,
  events: readonly MatchEvent[],
  options?: EngineOptions,
): EmittedOutput[] {
  const engine = createEngine(spec.triggers, spec.config, undefined, options);
  return replayCustomer(engine, events, spec.to - 1);
}

function sampleOf(
  customerId: string,
  m: MatchOutput,
  reason: SuppressionReason | undefined,
  byId: Map<string, MatchEvent>,
): SampleMatch {
  const sample: SampleMatch = {
    customerId,
    matchId: m.matchId,
    kind: m.kind,
    key: m.key,
    matchedAt: new Date(m.matchedAt).toISOString(),
    status: reason === undefined ? 'fired' : 'suppressed',
    bindings: m.bindings,
    events: m.eventIds.flatMap((id) => {
      const e = byId.get(id);
      return e ? [{ id, name: e.name, ts: new Date(e.ts).toISOString(), properties: e.properties }] : [];
    }),
  };
  if (reason !== undefined) sample.reason = reason;
  return sample;
}

/** Runs one customer and adds its outcome to `tally` (in place). */
export function tallyCustomer(
  spec: BacktestSpec,
  tally: TallyState,
  customer: BacktestCustomer,
  judge?: PolicyJudge | null,
): void {
  const outputs = runBacktestCustomer(spec, customer.events);
  tally.customers++;
  tally.events += customer.events.length;
  const matched = new Set<TriggerTally>();
  let byId: Map<string, MatchEvent> | null = null;
  for (const { output: o, emittedAt } of outputs) {
    if (o.type === 'duplicate') tally.duplicates++;
    else if (o.type === 'late') tally.late++;
    else if (o.type === 'rejected') tally.rejected++;
    if (o.type !== 'match') continue;
    const t = tally.triggers.find((x) => x.triggerId === o.triggerId);
    if (!t) continue;
    let reason: SuppressionReason | undefined;
    if (o.status === 'suppressed') reason = o.reason === 'reentry' ? 'reentry' : 'arbitration';
    else reason = judge?.(o, emittedAt) ?? undefined;
    if (reason !== undefined) t.suppressed[reason]++;
    else {
      t.matches++;
      matched.add(t);
      const day = new Date(o.matchedAt).toISOString().slice(0, 10);
      t.perDay[day] = (t.perDay[day] ?? 0) + 1;
    }
    if (t.samples.length < BACKTEST_SAMPLES_PER_TRIGGER) {
      byId ??= new Map(customer.events.map((e) => [e.id, e]));
      t.samples.push(sampleOf(customer.customerId, o, reason, byId));
    }
  }
  for (const t of matched) t.customersMatched++;
}

/** The results of a tally: `perDay` lists every UTC day of the range, oldest first. */
export function tallyResults(spec: Pick<BacktestSpec, 'from' | 'to'>, tally: TallyState): BacktestResults {
  const days: string[] = [];
  for (let d = Math.floor(spec.from / DAY) * DAY; d < spec.to; d += DAY)
    days.push(new Date(d).toISOString().slice(0, 10));
  return {
    ...tally,
    triggers: tally.triggers.map((t) => ({
      ...t,
      perDay: days.map((day) => ({ day, matches: t.perDay[day] ?? 0 })),
    })),
  };
}
