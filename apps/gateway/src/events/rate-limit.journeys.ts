import { JourneyPresenceRepository } from '@kairos/persistence';
import type { Pool } from 'pg';
import { LruSet } from '../common/lru';

/**
 * Tells whether an event would start a journey: its customer has none yet (no row in
 * journey_events; see JourneyPresenceRepository). Customers found with one, or counted as new
 * once, are remembered (bounded LRU), so a returning customer costs no query after the first.
 */
export class JourneyStarts {
  private readonly known: LruSet;
  private readonly presence: JourneyPresenceRepository;

  constructor(pool: Pool, capacity: number) {
    this.presence = new JourneyPresenceRepository(pool);
    this.known = new LruSet(capacity);
  }

  /**
   * True when the customer has no journey. When Postgres cannot answer, false: the cap is not
   * applied then (the gateway accepts events without Postgres; docs/api.md §3.3).
   */
  async wouldStart(customerId: string): Promise<boolean> {
    if (this.known.has(customerId)) return false;
    try {
      if (!(await this.presence.hasJourney(customerId))) return true;
    } catch {
      return false;
    }
    this.known.add(customerId);
    return false;
  }

  /** The customer's journey is counted: its later events (this instance) are not new. */
  counted(customerId: string): void {
    this.known.add(customerId);
  }
}
