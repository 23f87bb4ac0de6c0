import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  DEV_TRACKING_SECRET,
  singleTrackingKey,
  verifyTrackingToken,
  type TrackingClaims,
  type TrackingKey,
} from '@kairos/codec';
import { OutboxRepository, ResponsesRepository, type OutboxRow } from '@kairos/persistence';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { DatabaseService } from '../database/database.service';
import { JourneyClient } from '../temporal/journey.client';

/**
 * What became of a followed tracking link: `known` (its delivery exists; counted when it was the
 * first open or click), `unknown` (no such delivery: never redirected), or `unavailable` (Postgres
 * did not answer; the signature is genuine, so the reader still gets the target).
 */
export type TrackingOutcome = 'known' | 'unknown' | 'unavailable';

type Engagement = 'opened' | 'clicked';

/** Open pixels and click links: token verification against every configured key, and counting. */
@Injectable()
export class TrackingService {
  private readonly logger = new Logger(TrackingService.name);
  private readonly keys: readonly TrackingKey[];
  private readonly outbox: OutboxRepository;
  private readonly responses: ResponsesRepository;

  constructor(
    database: DatabaseService,
    private readonly journeys: JourneyClient,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    // Configs built in code (tests) may omit the keys; loadGatewayConfig refuses that in production.
    this.keys = config.trackingKeys ?? singleTrackingKey(DEV_TRACKING_SECRET);
    this.outbox = new OutboxRepository(database.pool);
    this.responses = new ResponsesRepository(database.pool);
  }

  verify(token: string): TrackingClaims | null {
    return verifyTrackingToken(this.keys, token);
  }

  /**
   * Looks the delivery up and, with `count` (GET, not HEAD: link scanners and prefetching proxies
   * send HEAD), records the open or click when it is the delivery's first.
   */
  async follow(claims: TrackingClaims, type: Engagement, count: boolean): Promise<TrackingOutcome> {
    try {
      const delivery = await this.outbox.find(claims.deliveryId);
      if (!delivery) return 'unknown';
      if (count) await this.countFirst(delivery, type, claims.url);
      return 'known';
    } catch (err) {
      // The reader must not see our outage: the measurement is lost, not the message.
      this.logger.warn(`${type} not recorded for ${claims.deliveryId}: ${String(err)}`);
      return 'unavailable';
    }
  }

  /**
   * The row is claimed before the journey is signalled: of concurrent first clicks only the one
   * whose insert wins (responses_first_engagement_idx) signals, so the journey hears of one.
   */
  private async countFirst(delivery: OutboxRow, type: Engagement, url: string | null): Promise<void> {
    const at = new Date();
    const first = await this.responses.record({
      deliveryId: delivery.deliveryId,
      type,
      at,
      matchId: delivery.matchId,
      customerId: delivery.customerId,
      triggerId: delivery.triggerId,
      channel: delivery.channel,
      variant: delivery.variant,
      source: type === 'opened' ? 'pixel' : 'link',
      url,
    });
    if (!first) return;
    try {
      await this.journeys.feedback(delivery.customerId, {
        v: 1,
        deliveryId: delivery.deliveryId,
        matchId: delivery.matchId,
        type,
        at: at.getTime(),
      });
    } catch (err) {
      // Counted in reports; the journey misses this one (a reader's click is never retried).
      this.logger.warn(`${type} of ${delivery.deliveryId} not signalled to the journey: ${String(err)}`);
    }
  }
}
