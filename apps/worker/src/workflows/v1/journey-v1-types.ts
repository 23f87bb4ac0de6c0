// FROZEN with the v1 journey: the shapes v1 runs recorded in their histories and carry across
// continue-as-new (definitions normalised to ms by the v1 loadDefinitions activity). Their parts
// that are written as in the trigger language (atoms, predicates, the trigger itself) are the
// zod types of @kairos/triggers: v1 loaded them validated. The legacy activities of
// activities/v1 still produce and accept these shapes. Deleted together with the v1 code.
import type { AttributionRow } from '@kairos/persistence';
import type { Atom, Channel, EngineConfig, Pred, Trigger, Weekday } from '@kairos/triggers';

export type ChannelName = Channel;

/** Durations normalised to ms by loadDefinitions, so the workflow never parses. */
export type DelayDef =
  | { type: 'none' }
  | { type: 'fixed'; durationMs: number }
  | { type: 'localTime'; at: string; days?: Weekday[] }
  | { type: 'optimal'; fallback: string; withinMs: number };

export type PredDef = Pred;
export type AtomDef = Atom;

/** A trigger's response (docs/triggers.md §6.1) with durations in ms. */
export type ResponseDef = {
  delay: DelayDef;
  experiment?: { variants: { id: string; weight: number; delay: DelayDef }[]; holdout?: number };
  channels: { order: ChannelName[]; strategy: 'first-available' | 'fallback'; fallbackAfterMs?: number };
  template: string;
  exitOn?: AtomDef[];
  policy: { quietHours: 'respect' | 'ignore'; caps: 'respect' | 'ignore' };
  escalate?: { when: PredDef; to: string; slaMs: number; then?: string };
  conversion?: { event: AtomDef; windowMs: number; valuePath?: string };
};

/** One loaded trigger: the matcher definition as written, plus its normalised response. */
export type TriggerDef = {
  id: string;
  version: number;
  priority: number;
  definition: Trigger;
  response: ResponseDef | null;
};

export type PolicyDef = {
  quietHours: { start: string; end: string };
  caps: Partial<Record<ChannelName, number>>;
  minGapMs: number;
};

/** What loadDefinitions returns: the current trigger set, policy and journey settings. */
export type Definitions = {
  /** Hash of the trigger set and policy: equal hashes mean nothing changed. */
  hash: string;
  triggers: TriggerDef[];
  policy: PolicyDef;
  engineConfig?: EngineConfig;
  settings: {
    /** Continue-as-new once history holds this many events (or earlier when the server suggests). */
    historyBound: number;
    /** Entries shown in the query's recentEvents and history. */
    recentLimit: number;
  };
};

export type EventLite = {
  id: string;
  name: string;
  ts: number;
  receivedAt: number;
  properties: Record<string, unknown>;
};

export type { Profile } from '@kairos/contracts';

/** One attribution row as v1 runs send it to logAttribution (epoch ms instead of a Date). */
export type AttributionInput = Omit<AttributionRow, 'at'> & { at: number };

export type SentRecord = {
  at: number;
  channel: ChannelName;
  triggerId: string;
  priority: number;
  deliveryId: string;
  matchId: string;
};
