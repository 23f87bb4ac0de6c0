import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_LIMITS, GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { DatabaseService } from '../database/database.service';
import { rateLimited } from './rate-limit.problem';
import { JourneyStarts } from './rate-limit.journeys';
import { sharedLimiter, type SharedLimiter } from './rate-limit.store';

// Customers remembered as having a journey (per instance), so returning ones cost no query.
const KNOWN_CUSTOMERS = 100_000;

/** The limiter's key of a customer: a hash, so the shared table never holds a customer id. */
function customerKey(customerId: string): string {
  return createHash('sha256').update(customerId).digest('base64url').slice(0, 22);
}

/**
 * The limits of docs/api.md §3.3, kept in Postgres so they hold across gateway instances: events
 * per customer, per API key and in all (each 60 s window), and journeys started per minute.
 * Each refusal is a 429 `rate-limited` naming the limit, with Retry-After.
 */
@Injectable()
export class RateLimitService {
  private readonly customer: SharedLimiter;
  private readonly key: SharedLimiter | null;
  private readonly global: SharedLimiter | null;
  private readonly journeys: SharedLimiter | null;
  private readonly starts: JourneyStarts;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig, database: DatabaseService) {
    const pool = database.pool;
    const perMin = (n: number | undefined, fallback: number) => n ?? fallback;
    const optional = (prefix: string, n: number) => (n > 0 ? sharedLimiter(pool, prefix, n) : null);
    this.customer = sharedLimiter(pool, 'customer', config.rateLimitPerMin, { clearsExpired: true });
    this.key = optional('key', perMin(config.rateLimitPerKeyPerMin, DEFAULT_LIMITS.perKeyPerMin));
    this.global = optional('global', perMin(config.rateLimitGlobalPerMin, DEFAULT_LIMITS.globalPerMin));
    this.journeys = optional(
      'new-journeys',
      perMin(config.newJourneysPerMin, DEFAULT_LIMITS.newJourneysPerMin),
    );
    this.starts = new JourneyStarts(pool, KNOWN_CUSTOMERS);
  }

  /**
   * Takes one event from the customer's, the key's and the global budget (in parallel; every
   * event counts, refused ones too), or throws 429 for the first limit reached.
   */
  async take(customerId: string, keyId?: string): Promise<void> {
    const [customer, key, global] = await Promise.all([
      this.customer.take(customerKey(customerId)),
      keyId !== undefined && this.key ? this.key.take(keyId) : null,
      this.global ? this.global.take('all') : null,
    ]);
    if (customer !== null) throw rateLimited('customer', this.customer.perMin, customer, customerId);
    if (key !== null && this.key) throw rateLimited('key', this.key.perMin, key, keyId);
    if (global !== null && this.global) throw rateLimited('global', this.global.perMin, global);
  }

  /** For an event about to be handed on: when it would start a journey, takes one from the cap. */
  async takeJourney(customerId: string): Promise<void> {
    if (!this.journeys || !(await this.starts.wouldStart(customerId))) return;
    const wait = await this.journeys.take('all');
    if (wait !== null) throw rateLimited('new-journeys', this.journeys.perMin, wait);
    this.starts.counted(customerId);
  }
}
