// The state of a journey: what one run hands to the next over continue-as-new. Written once
// here (type, initial value, restore, snapshot); every other module reads and updates it.
import type {
  EscalationAckSignal,
  EventSignal,
  ExitSignal,
  FeedbackSignal,
  JourneyView,
  Profile,
} from '@kairos/contracts';
import type {
  Atom,
  Channel,
  DefinitionSet,
  EngineState,
  MatchEvent,
  Response,
  TraceEntry,
} from '@kairos/triggers';
import type { AttributionInput } from '../activities';

/** Bumped when the carried shape changes; restore() refuses what it cannot read. */
export const JOURNEY_STATE_VERSION = 2;

/** A response waiting to run: its trigger's response is copied in, so it keeps the version it matched. */
export type PendingResponse = {
  matchId: string;
  triggerId: string;
  version: number;
  priority: number;
  matchedAt: number;
  response: Response;
  /** Bound events by `as` name, for the template. */
  bindings: Record<string, MatchEvent[]>;
  variant: string | null;
  /** `sending` while a send is in flight (never carried: continue-as-new waits for it). */
  state: 'scheduled' | 'sending' | 'awaitingEngagement';
  /** The send in flight: counted by minimum gap and caps before its result is in; `was` comes back if it fails. */
  sending?: { channel: Channel; at: number; was: 'scheduled' | 'awaitingEngagement' };
  runAt: number;
  /** Index in response.channels.order of the next channel to try. */
  channelIndex: number;
  /** Deferrals past this instant drop the response (optimal delays: the end of their window). */
  deadline: number | null;
  deliveryId: string | null;
};

/** An open escalation to a human, with its SLA. */
export type Escalation = {
  id: string;
  matchId: string;
  triggerId: string;
  version: number;
  level: number;
  /** Where to escalate when the SLA passes without an ack (level + 1), once. */
  then: string | null;
  slaMs: number;
  deadline: number;
  summary: string;
  /** Set while its ack or expiry is being written (never carried: continue-as-new waits for it). */
  closing?: boolean;
};

/** A sent response waiting for its conversion event. */
export type ConversionWatch = {
  matchId: string;
  triggerId: string;
  version: number;
  until: number;
  event: Atom;
  valuePath?: string;
};

export type HistoryEntry = JourneyView['history'][number];

/** A message sent to the customer (minimum gap and daily caps read these). */
export type SentRecord = {
  at: number;
  channel: Channel;
  triggerId: string;
  priority: number;
  deliveryId: string;
  matchId: string;
};

/**
 * The definitions a journey runs on: the content hash of a version compiled into the workflow
 * bundle. `inline` only after a v1 takeover, for the one run that still needs the v1 run's set.
 */
export type CarriedDefinitions = { hash: string; inline?: DefinitionSet };

export type JourneyState = {
  v: typeof JOURNEY_STATE_VERSION;
  /** The definitions of the run (null before the first run picked them). */
  definitions: CarriedDefinitions | null;
  /**
   * Continue-as-new once a run's history holds this many events (the worker's setting; a first
   * run started on a named version holds MIN_HISTORY_BOUND until it asks, continuation.ts).
   */
  historyBound: number;
  /** The matcher's snapshot (null on the first run). */
  engine: EngineState | null;
  /** Event ids already taken in (dedupe of repeated signals), oldest first. */
  seen: string[];
  counters: JourneyView['counters'];
  recent: JourneyView['recentEvents'];
  /** Recent events with their properties: what a match's bindings are resolved from. */
  store: MatchEvent[];
  pending: PendingResponse[];
  escalations: Escalation[];
  conversions: ConversionWatch[];
  history: HistoryEntry[];
  sent: SentRecord[];
  /** Past opens and clicks (epoch ms), for the `optimal` delay. */
  engagements: number[];
  lastTrigger: string | null;
  lastEventAt: number | null;
  /** The profile read for decisions; kept until a profileChanged signal marks it stale. */
  profile: Profile | null;
  profileStale: boolean;
  /**
   * A profileChanged signal arrived since date and schedule triggers were last computed: every
   * one is recomputed (docs/triggers.md §3.12). Optional: states carried before it existed lack it.
   */
  calendarsStale?: boolean;
  /**
   * Model scores (docs/triggers.md §3.14): the last value and version fed to the matcher per model,
   * and whether a profileChanged signal arrived since they were read. Optional: states carried
   * before them lack them (and journeys whose triggers read no score never set them).
   */
  scores?: Record<string, { value: number; version: number }>;
  scoresStale?: boolean;
  /** Signals received but not yet handled: carried so nothing accepted is lost. */
  inbox: EventSignal[];
  exits: ExitSignal[];
  acks: EscalationAckSignal[];
  feedbacks: FeedbackSignal[];
  /** Attribution rows not written yet (they ride on the next activity, or one write per task). */
  attribution: AttributionInput[];
  /** Runs so far (continue-as-new count). */
  runs: number;
  /** The matcher's recent decisions (journey-trace.ts). Optional: states carried before it lack it. */
  trace?: TraceEntry[];
};

/** The lowest history bound a worker accepts (KAIROS_HISTORY_BOUND). */
export const MIN_HISTORY_BOUND = 200;

export function initialJourneyState(): JourneyState {
  return {
    v: JOURNEY_STATE_VERSION,
    definitions: null,
    historyBound: 10_000,
    engine: null,
    seen: [],
    counters: { events: 0, duplicates: 0, late: 0 },
    recent: [],
    store: [],
    pending: [],
    escalations: [],
    conversions: [],
    history: [],
    sent: [],
    engagements: [],
    lastTrigger: null,
    lastEventAt: null,
    profile: null,
    profileStale: false,
    inbox: [],
    exits: [],
    acks: [],
    feedbacks: [],
    attribution: [],
    runs: 0,
  };
}

function isJourneyState(x: unknown): x is JourneyState {
  return typeof x === 'object' && x !== null && 'v' in x && x.v === JOURNEY_STATE_VERSION;
}

/** The state a run starts from: the carried one, or a fresh one on the first run. */
export function restoreJourneyState(carried: unknown): JourneyState {
  if (carried === undefined) return initialJourneyState();
  if (!isJourneyState(carried))
    throw new Error(
      `KAIROS_JOURNEY_STATE: the carried state is not version ${JOURNEY_STATE_VERSION}; this worker cannot continue the journey (deploy the worker that wrote it)`,
    );
  return carried;
}

/** What continue-as-new carries: the state with the matcher's snapshot. */
export function snapshotJourneyState(state: JourneyState, engine: EngineState): JourneyState {
  return { ...state, engine, runs: state.runs + 1 };
}
