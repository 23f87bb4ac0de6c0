import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { WorkerHeartbeatsRepository, type LiveDefinitions } from '@kairos/persistence';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { DatabaseService } from '../database/database.service';
import { MetricsService } from '../metrics/metrics.service';
import { TriggerCatalogService } from './trigger-catalog.service';

/**
 * `match`: every live worker of the task queue loaded the gateway's definitions; `mismatch`: at
 * least one loaded others (a rolling deploy passes through it; persisting, the gateway answers
 * `ignored` by a set the workers do not run); `unknown`: no live worker, or Postgres did not answer.
 */
export type DefinitionsStatus = 'match' | 'mismatch' | 'unknown';
export type DefinitionsCheck = {
  status: DefinitionsStatus;
  /** The hash of the gateway's own set (as the worker computes it). */
  gateway: string | null;
  /** The hashes of the live workers, with how many run each. */
  workers: LiveDefinitions[];
};

/** A worker beats every 15 s (apps/worker/src/definitions/definitions-heartbeat.ts): live = seen within 3 beats. */
export const WORKER_LIVE_MS = 45_000;
// Health probes and scrapes within this reuse the last answer: at most one query per interval.
const CACHE_MS = 1_000;
// Compared again this often (as often as workers beat), so new journeys go by a fresh answer.
const REFRESH_MS = 15_000;

/** Compares the definitions hash of this gateway with the live workers' (worker_heartbeats). */
@Injectable()
export class DefinitionsCheckService implements OnModuleDestroy {
  private readonly heartbeats: WorkerHeartbeatsRepository;
  private readonly timer: NodeJS.Timeout;
  private last: { at: number; check: Promise<DefinitionsCheck> } | null = null;
  private settled: { at: number; check: DefinitionsCheck } | null = null;

  constructor(
    database: DatabaseService,
    private readonly catalog: TriggerCatalogService,
    private readonly metrics: MetricsService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.heartbeats = new WorkerHeartbeatsRepository(database.pool);
    metrics.onScrape(async () => void (await this.check()));
    void this.check();
    this.timer = setInterval(() => void this.check(), REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /**
   * The version a new journey may be started on without asking a worker: the gateway's own hash
   * when the last comparison (at most REFRESH_MS old while PostgreSQL answers) found every live
   * worker on it; else null (the journey then asks the worker that takes it). Never waits.
   */
  agreedHash(): string | null {
    const last = this.settled;
    const fresh = last !== null && Date.now() - last.at < WORKER_LIVE_MS;
    return fresh && last.check.status === 'match' ? last.check.gateway : null;
  }

  /** The current comparison (cached CACHE_MS); also sets the `kairos_definitions_mismatch` gauge. */
  check(): Promise<DefinitionsCheck> {
    const now = Date.now();
    if (this.last && now - this.last.at < CACHE_MS) return this.last.check;
    const check = this.compare();
    this.last = { at: now, check };
    // A slow older comparison settling after a newer one must not replace it.
    check.then(
      (c) => void (now >= (this.settled?.at ?? 0) && (this.settled = { at: now, check: c })),
      () => undefined,
    );
    return check;
  }

  private async compare(): Promise<DefinitionsCheck> {
    const gateway = this.catalog.definitionsHash();
    let workers: LiveDefinitions[];
    try {
      workers = await this.heartbeats.live(this.config.namespace, this.config.taskQueue, WORKER_LIVE_MS);
    } catch {
      this.last = null;
      return { status: 'unknown', gateway, workers: [] };
    }
    const status: DefinitionsStatus =
      workers.length === 0 || gateway === null
        ? 'unknown'
        : workers.every((w) => w.hash === gateway)
          ? 'match'
          : 'mismatch';
    this.metrics.definitionsMismatch.set(status === 'mismatch' ? 1 : 0);
    return { status, gateway, workers };
  }
}
