/** Input of a journey that started before journey v2 (apps/worker/src/workflows/v1). */
export type JourneyInputV1 = {
  v: 1;
  customerId: string;
  /** Opaque state carried over continue-as-new; absent on first start. */
  carried?: unknown;
};

/** Input of a v2 journey: what the gateway starts today, and what v1 journeys continue as. */
export type JourneyInputV2 = {
  v: 2;
  customerId: string;
  /** The journey state carried over continue-as-new (journey-state.ts); absent on first start. */
  carried?: unknown;
  /**
   * First start only: the definitions version (content hash) that the gateway and every live
   * worker loaded. The first run takes it instead of asking a worker by local activity; absent,
   * it asks.
   */
  definitions?: string;
};

/** Versioned input of the long-lived journey workflow: the recorded `v` picks the code that runs it. */
export type JourneyInput = JourneyInputV1 | JourneyInputV2;

/**
 * One accepted event, as signalled by the gateway. `v: 2`: the sender recorded it in
 * journey_events before signalling (the gateway does); a `v: 1` event (older gateways, or a
 * gateway that could not reach Postgres) is recorded by the journey itself.
 */
export type EventSignal = {
  v: 1 | 2;
  id: string;
  customerId: string;
  name: string;
  category: 'customer_action' | 'system' | 'time_based' | 'external';
  /** Epoch ms, producer clock. */
  ts: number;
  /** Epoch ms, stamped by the gateway on receipt. */
  receivedAt: number;
  source?: string;
  properties: Record<string, unknown>;
  /** Request id of the gateway call, for log correlation. */
  requestId?: string;
};

export type ProfileChangedSignal = { v: 1; customerId: string; changedAt: number; requestId?: string };
export type ExitSignal = { v: 1; reason: string; at: number; requestId?: string };
export type EscalationAckSignal = {
  v: 1;
  escalationId: string;
  by: string;
  outcome: 'accepted' | 'dismissed';
  at: number;
};
export type FeedbackSignal = {
  v: 1;
  deliveryId: string;
  matchId: string;
  type: 'delivered' | 'opened' | 'clicked' | 'bounced' | 'complained' | 'unsubscribed';
  at: number;
};

/** What the journey query returns (docs/api.md §4, GET /v1/customers/{id}/journey). */
export type JourneyView = {
  customerId: string;
  workflowId: string;
  stage: string;
  recentEvents: { id: string; name: string; occurredAt: string }[];
  partialMatches: { triggerId: string; key: string; startedAt: string; deadline: string | null }[];
  pendingResponses: { matchId: string; triggerId: string; runAt: string; channel: string }[];
  history: {
    matchId: string;
    triggerId: string;
    at: string;
    status: string;
    reason?: string;
    channel?: string;
  }[];
  counters: { events: number; duplicates: number; late: number };
  /**
   * Date and schedule triggers (docs/triggers.md §3.12): the pending instant, the last one fired,
   * and why none is pending (`missing`, `unparsable: ...`, `passed`). Absent before such triggers existed.
   */
  timeTriggers?: {
    triggerId: string;
    kind: 'date' | 'schedule';
    pendingAt: string | null;
    lastAt: string | null;
    note?: string;
  }[];
};

/** A customer profile as journeys read it (docs/api.md §4, PUT /v1/customers/{id}). */
export type Profile = {
  customerId: string;
  email?: string;
  phone?: string;
  pushTokens?: string[];
  timezone?: string;
  locale?: string;
  consent?: { email?: boolean; sms?: boolean; push?: boolean };
  quietHours?: { start: string; end: string };
  attributes?: Record<string, unknown>;
  /** Model scores, `scores.<model>` (docs/models.md §5), stored beside the profile by the worker. */
  scores?: Record<string, { value: number; at: string; version: number }>;
};
