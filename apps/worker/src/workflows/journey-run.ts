// One run of a journey: the carried state plus what the run derives from it (definitions,
// matcher, work in flight). Every journey module works on a JourneyRun.
import type { Profile } from '@kairos/contracts';
import type { DefinitionSet, Engine, Trigger } from '@kairos/triggers';
import type { AttributionInput } from '../activities';
import type { OpenedDefinitions } from './definitions';
import { InFlight } from './in-flight';
import { cap } from './journey-helpers';
import type { HistoryEntry, JourneyState } from './journey-state';

/** Entries shown in the query's recentEvents and history. */
export const RECENT_LIMIT = 50;

export type Stage = 'starting' | 'processing' | 'idle' | 'watching' | 'waiting' | 'escalated';

export class JourneyRun {
  /** Sends and escalation writes in flight. */
  readonly inFlight = new InFlight();
  readonly engine: Engine;
  readonly set: DefinitionSet;
  stage: Stage = 'starting';
  /** Whether state.historyBound is the worker's setting yet (definitions.ts, continuation.ts). */
  historyBoundKnown: boolean;
  private readonly triggers: Map<string, Trigger>;

  constructor(
    readonly customerId: string,
    readonly workflowId: string,
    readonly state: JourneyState,
    readonly opened: OpenedDefinitions,
  ) {
    this.engine = opened.engine;
    this.set = opened.set;
    this.historyBoundKnown = opened.boundKnown;
    this.triggers = new Map(opened.set.triggers.map((t) => [t.id, t]));
  }

  trigger(id: string): Trigger | undefined {
    return this.triggers.get(id);
  }

  remember(entry: HistoryEntry): void {
    this.state.history.push(entry);
    cap(this.state.history, RECENT_LIMIT);
  }

  attribute(row: Omit<AttributionInput, 'customerId'>): void {
    this.state.attribution.push({ customerId: this.customerId, ...row });
  }

  /**
   * The profile a decision may reuse, or null when it must be read (never read, or a
   * profileChanged signal arrived since; one arriving while it is read marks it stale again).
   */
  profileForDecision(): Profile | null {
    if (this.state.profileStale) {
      this.state.profileStale = false;
      this.state.profile = null;
    }
    return this.state.profile;
  }

  /** Keeps the profile a decision read. */
  learnProfile(profile: Profile | undefined): void {
    if (profile !== undefined) this.state.profile = profile;
  }
}
