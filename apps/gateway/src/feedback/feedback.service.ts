import { Inject, Injectable } from '@nestjs/common';
import type { FeedbackSignal, ProfileChangedSignal } from '@kairos/contracts';
import {
  CustomersRepository,
  OutboxRepository,
  ResponsesRepository,
  type ResponseRow,
  type ResponseType,
} from '@kairos/persistence';
import { ProblemException, temporalUnavailable } from '../common/problem';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { DatabaseService } from '../database/database.service';
import { JourneyClient } from '../temporal/journey.client';

export type FeedbackOutcome = {
  deliveryId: string;
  type: ResponseType;
  status: 'recorded' | 'duplicate';
  journey: 'signalled' | 'no-journey' | 'not-signalled';
};

/** Responses that mean "stop": the delivery's channel loses the customer's consent at once. */
const WITHDRAWS_CONSENT: ReadonlySet<ResponseType> = new Set(['unsubscribed', 'complained']);
const CONSENT_CHANNELS = new Set(['email', 'sms', 'push'] as const);
type ConsentChannel = 'email' | 'sms' | 'push';
const isConsentChannel = (c: string): c is ConsentChannel => CONSENT_CHANNELS.has(c as ConsentChannel);

/**
 * Responses to deliveries (provider callbacks, open pixels, clicked links): stored against the
 * delivery's match, trigger, channel and variant, and signalled to the customer's journey, where
 * opens and clicks end the wait of a channel fallback and teach the best hour.
 */
@Injectable()
export class FeedbackService {
  private readonly outbox: OutboxRepository;
  private readonly responses: ResponsesRepository;
  private readonly customers: CustomersRepository;

  constructor(
    database: DatabaseService,
    private readonly journeys: JourneyClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.outbox = new OutboxRepository(database.pool);
    this.responses = new ResponsesRepository(database.pool);
    this.customers = new CustomersRepository(database.pool);
  }

  /**
   * Records one response. The journey is signalled before the row is written, so a 503 leaves
   * nothing behind and the provider's retry signals again; a response already stored is answered
   * `duplicate` without a second signal. Only the first response of a type per delivery is
   * signalled (a reloaded pixel must not look like more engagement).
   */
  async record(input: {
    deliveryId: string;
    type: ResponseType;
    at: Date;
    source: ResponseRow['source'];
    url?: string | null;
  }): Promise<FeedbackOutcome> {
    const delivery = await this.outbox.find(input.deliveryId);
    if (!delivery)
      throw new ProblemException(
        404,
        'delivery-not-found',
        'Delivery not found',
        `No message with delivery id "${input.deliveryId}" was sent by Kairos.`,
      );
    const earlier = await this.responses.listForDelivery(input.deliveryId);
    const same = earlier.filter((r) => r.type === input.type);
    if (same.some((r) => r.at.getTime() === input.at.getTime()))
      return {
        deliveryId: input.deliveryId,
        type: input.type,
        status: 'duplicate',
        journey: 'not-signalled',
      };

    // Every unsubscribe or complaint withdraws (again: the customer may have opted in since).
    if (WITHDRAWS_CONSENT.has(input.type) && isConsentChannel(delivery.channel))
      await this.withdrawConsent(delivery.customerId, delivery.channel);

    let journey: FeedbackOutcome['journey'] = 'not-signalled';
    if (same.length === 0) {
      const payload: FeedbackSignal = {
        v: 1,
        deliveryId: delivery.deliveryId,
        matchId: delivery.matchId,
        type: input.type,
        at: input.at.getTime(),
      };
      try {
        journey = await this.journeys.feedback(delivery.customerId, payload);
      } catch (err) {
        throw temporalUnavailable(this.config.retryAfterS, 'The response was not recorded', err);
      }
    }
    const inserted = await this.responses.record({
      deliveryId: delivery.deliveryId,
      type: input.type,
      at: input.at,
      matchId: delivery.matchId,
      customerId: delivery.customerId,
      triggerId: delivery.triggerId,
      channel: delivery.channel,
      variant: delivery.variant,
      source: input.source,
      url: input.url ?? null,
    });
    return {
      deliveryId: input.deliveryId,
      type: input.type,
      status: inserted ? 'recorded' : 'duplicate',
      journey,
    };
  }

  /**
   * Stores the opt-out in the profile, then tells the journey (profile-changed, as a PUT does) so
   * a send already planned reads it. Before the response row: a 503 here leaves the row unwritten
   * and the provider's retry withdraws again (idempotent).
   */
  private async withdrawConsent(customerId: string, channel: ConsentChannel): Promise<void> {
    const changedAt = await this.customers.withdrawConsent(customerId, channel);
    const payload: ProfileChangedSignal = { v: 1, customerId, changedAt: changedAt.getTime() };
    try {
      await this.journeys.profileChanged(customerId, payload);
    } catch (err) {
      throw temporalUnavailable(
        this.config.retryAfterS,
        'The opt-out was saved but the journey was not told',
        err,
      );
    }
  }
}
