import { Inject, Injectable } from '@nestjs/common';
import type { EventSignal } from '@kairos/contracts';
import { JourneyEventsRepository } from '@kairos/persistence';
import { ProblemException } from '../common/problem';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { DatabaseService } from '../database/database.service';

/**
 * Records accepted events in journey_events before they are signalled (so nothing accepted is
 * lost, and the journey does not spend an activity on it): one idempotent insert per batch.
 */
@Injectable()
export class EventRecorderService {
  private readonly events: JourneyEventsRepository;

  constructor(
    database: DatabaseService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.events = new JourneyEventsRepository(database.pool);
  }

  /** Records the events (a retried one is recorded once), or throws 503 when Postgres is unreachable. */
  async record(signals: readonly EventSignal[]): Promise<void> {
    if (signals.length === 0) return;
    try {
      await this.events.recordSignals(signals);
    } catch (err) {
      throw new ProblemException(
        503,
        'database-unavailable',
        'Postgres is unreachable',
        `The event was not accepted (${err instanceof Error ? err.message.slice(0, 200) : String(err)}); retry later with the same id.`,
        undefined,
        { 'retry-after': String(this.config.retryAfterS) },
      );
    }
  }
}
