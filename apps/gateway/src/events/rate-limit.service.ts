import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { ProblemException } from '../common/problem';

/**
 * Per-customer sustained event rate (KAIROS_RATE_LIMIT_PER_MIN over a 60 s window), in the
 * memory of this gateway instance: with N instances behind a balancer the effective limit is
 * up to N times higher (a shared store, e.g. rate-limiter-flexible over Postgres, fixes that).
 */
@Injectable()
export class RateLimitService {
  private readonly limiter: RateLimiterMemory;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    this.limiter = new RateLimiterMemory({ points: config.rateLimitPerMin, duration: 60 });
  }

  /** Takes one event from the customer's budget, or throws 429 with Retry-After. */
  async take(customerId: string): Promise<void> {
    try {
      await this.limiter.consume(customerId, 1);
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      const retryAfter = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      throw new ProblemException(
        429,
        'rate-limited',
        'Too many events for this customer',
        `Customer "${customerId}" exceeded ${this.config.rateLimitPerMin} events per minute; retry after ${retryAfter} s.`,
        undefined,
        { 'retry-after': String(retryAfter) },
      );
    }
  }
}
