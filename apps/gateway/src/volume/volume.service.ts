import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { EventVolumeRepository, type EventVolumeRow, type EventVolumeStatus } from '@kairos/persistence';
import { DEFAULT_LIMITS, GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { DatabaseService } from '../database/database.service';
import { MetricsService } from '../metrics/metrics.service';
import { TriggerCatalogService } from '../triggers/trigger-catalog.service';
import { UnknownNames } from './unknown-names';

const MINUTE_MS = 60_000;
// Cells kept while Postgres is down; beyond this, counts are dropped (and counted as errors).
const MAX_PENDING_CELLS = 50_000;

/**
 * Counts events per name, minute and outcome in memory and flushes them to `event_volume` with
 * an additive upsert every KAIROS_VOLUME_FLUSH_MS and at shutdown. Writing per event would put
 * Postgres on the hot path; volume reports tolerate the flush delay (and, on a crash, the loss
 * of the last interval's counts). Names no trigger uses are counted by name up to
 * KAIROS_VOLUME_UNKNOWN_NAMES_PER_MIN distinct ones per minute and instance, the rest under
 * `(other)`: made-up names cannot grow the table without bound.
 */
@Injectable()
export class VolumeService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(VolumeService.name);
  private readonly repo: EventVolumeRepository;
  private pending = new Map<string, EventVolumeRow>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private readonly unknown: UnknownNames;

  constructor(
    database: DatabaseService,
    private readonly metrics: MetricsService,
    private readonly catalog: TriggerCatalogService,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.unknown = new UnknownNames(config.volumeUnknownNamesPerMin ?? DEFAULT_LIMITS.unknownNamesPerMin);
    this.repo = new EventVolumeRepository(database.pool);
    this.timer = setInterval(() => void this.flush(), config.volumeFlushMs);
    this.timer.unref();
  }

  count(name: string, status: EventVolumeStatus, at: number = Date.now(), n = 1): void {
    const minute = at - (at % MINUTE_MS);
    if (!this.catalog.isRelevant(name)) name = this.unknown.bucket(name, minute);
    const key = `${name}\u0000${minute}\u0000${status}`;
    const cell = this.pending.get(key);
    if (cell) cell.count += n;
    else if (this.pending.size < MAX_PENDING_CELLS)
      this.pending.set(key, { name, minute: new Date(minute), status, count: n });
    else this.metrics.error('database');
  }

  /** Writes the pending counts; on failure they are kept for the next flush. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const batch = this.pending;
      this.pending = new Map();
      try {
        const rows = [...batch.values()];
        for (let i = 0; i < rows.length; i += 1000) await this.repo.add(rows.slice(i, i + 1000));
      } catch (err) {
        this.metrics.error('database');
        this.logger.warn(`event volume flush failed, will retry: ${String(err)}`);
        for (const [key, row] of batch) {
          const cell = this.pending.get(key);
          if (cell) cell.count += row.count;
          else this.pending.set(key, row);
        }
      }
    });
    return this.flushing;
  }

  /** Before the pool closes (DatabaseService ends it in onApplicationShutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
