// Plain-data types shared by the journey workflow (sandbox) and its activities (type-only there).
// Everything here is JSON: it is carried across continue-as-new and recorded in history.

export type ChannelName = 'email' | 'sms' | 'push' | 'webhook';
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** Durations normalised to ms by loadDefinitions, so the workflow never parses. */
export type DelayDef =
  | { type: 'none' }
  | { type: 'fixed'; durationMs: number }
  | { type: 'localTime'; at: string; days?: Weekday[] }
  | { type: 'optimal'; fallback: string; withinMs: number };

export type PredDef = { op: string; [k: string]: unknown };
export type AtomDef = { kind: 'event'; name: string; where?: PredDef; as?: string };

/** A trigger's response (TRIGGERS.md section 6) with durations in ms. */
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
  definition: unknown;
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
  engineConfig?: unknown;
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

export type SentRecord = {
  at: number;
  channel: ChannelName;
  triggerId: string;
  priority: number;
  deliveryId: string;
  matchId: string;
};
