import { Injectable, Logger } from '@nestjs/common';
import type { EventSignal } from '@kairos/contracts';
import { JourneyEventsRepository } from '@kairos/persistence';
import { DatabaseService } from '../database/database.service';
import { MetricsService } from '../metrics/metrics.service';

/**
 * Records accepted events in journey_events before they are signalled, so the journey does not
 * spend an activity on them: one idempotent insert per batch.
 */
@Injectable()
export class EventRecorderService {
  private readonly events: JourneyEventsRepository;
  private readonly logger = new Logger(EventRecorderService.name);

  constructor(
    database: DatabaseService,
    private readonly metrics: MetricsService,
  ) {
    this.events = new JourneyEventsRepository(database.pool);
  }

  /**
   * Records the events (a retried one is recorded once). Whether they were recorded: when Postgres
   * cannot take them, the gateway still accepts (it needs Temporal, not Postgres, to accept) and
   * signals them unrecorded (`v: 1`), and the journey records them with a retried activity.
   */
  async record(signals: readonly EventSignal[]): Promise<boolean> {
    if (signals.length === 0) return true;
    try {
      await this.events.recordSignals(signals);
      return true;
    } catch (err) {
      this.metrics.eventsLeftToJourney.inc(signals.length);
      this.logger.warn(
        `${signals.length} event(s) signalled for the journey to record: Postgres did not take them (${err instanceof Error ? err.message.slice(0, 200) : String(err)})`,
      );
      return false;
    }
  }
}
