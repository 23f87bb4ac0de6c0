import { Inject, Injectable } from '@nestjs/common';
import { type ExitSignal, type JourneyView, type ProfileChangedSignal } from '@kairos/contracts';
import type { CustomerProfile, Scores } from '@kairos/events';
import { CustomersRepository, ModelScoresRepository, type StoredCustomer } from '@kairos/persistence';
import { ProblemException, temporalUnavailable } from '../common/problem';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { DatabaseService } from '../database/database.service';
import { JourneyClient, type SignalOutcome } from '../temporal/journey.client';

export type CustomerView = CustomerProfile & { customerId: string; createdAt: string; updatedAt: string };
export type { SignalOutcome } from '../temporal/journey.client';

/** Customer profiles in Postgres, and the signals and queries that reach a customer's journey. */
@Injectable()
export class CustomersService {
  private readonly repo: CustomersRepository;
  private readonly scores: ModelScoresRepository;

  constructor(
    database: DatabaseService,
    private readonly journeys: JourneyClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.repo = new CustomersRepository(database.pool);
    this.scores = new ModelScoresRepository(database.pool);
  }

  /**
   * Stores the profile, then tells a running journey so pending decisions (time zone, consent,
   * quiet hours) read fresh data. The write comes first: if the signal then fails (503), the
   * client repeats the idempotent PUT.
   */
  async put(
    customerId: string,
    profile: CustomerProfile,
    requestId?: string,
  ): Promise<{ customer: CustomerView; created: boolean; journey: SignalOutcome }> {
    const stored = await this.repo.upsert(customerId, profile);
    const payload: ProfileChangedSignal = {
      v: 1,
      customerId,
      changedAt: stored.updatedAt.getTime(),
      ...(requestId ? { requestId } : {}),
    };
    const journey = await this.told(
      () => this.journeys.profileChanged(customerId, payload),
      'The profile was saved but the journey was not told',
    );
    return { customer: view(stored), created: stored.created, journey };
  }

  /** The profile with the model scores beside it (docs/models.md §5; `{}` before any scoring). */
  async get(customerId: string): Promise<CustomerView & { scores: Scores }> {
    const [stored, scores] = await Promise.all([this.repo.get(customerId), this.scores.get(customerId)]);
    if (!stored)
      throw new ProblemException(
        404,
        'customer-not-found',
        'Customer not found',
        `No profile is stored for customer "${customerId}".`,
      );
    return { ...view(stored), scores: scores ?? {} };
  }

  /** Cancels every pending response of the customer's journey (the worker records the exit). */
  async exit(customerId: string, reason: string, requestId?: string): Promise<SignalOutcome> {
    const payload: ExitSignal = { v: 1, reason, at: Date.now(), ...(requestId ? { requestId } : {}) };
    return this.told(() => this.journeys.exit(customerId, payload), 'The exit was not delivered');
  }

  /** The live journey, read by a workflow query; 404 when the customer has none. */
  async journey(customerId: string): Promise<JourneyView> {
    let found: JourneyView | null;
    try {
      found = await this.journeys.view(customerId);
    } catch (err) {
      // A query needs a worker as well as the server: say which side to look at.
      if (!(await this.journeys.serverReachable()))
        throw temporalUnavailable(this.config.retryAfterS, 'The journey could not be read', err);
      throw new ProblemException(
        503,
        'journey-unavailable',
        'Journey did not answer',
        `The journey query failed (${err instanceof Error ? err.message.slice(0, 200) : String(err)}); is a worker running on task queue "${this.config.taskQueue}"?`,
        undefined,
        { 'retry-after': String(this.config.retryAfterS) },
      );
    }
    if (found === null)
      throw new ProblemException(
        404,
        'no-journey',
        'No journey',
        `Customer "${customerId}" has no journey (no relevant event was accepted yet).`,
      );
    return found;
  }

  /** A signal to the journey; no running journey is fine (it reads the profile when it starts). */
  private async told(send: () => Promise<SignalOutcome>, what: string): Promise<SignalOutcome> {
    try {
      return await send();
    } catch (err) {
      throw temporalUnavailable(this.config.retryAfterS, what, err);
    }
  }
}

function view(stored: StoredCustomer): CustomerView {
  return {
    ...(stored.profile as CustomerProfile),
    customerId: stored.customerId,
    createdAt: stored.createdAt.toISOString(),
    updatedAt: stored.updatedAt.toISOString(),
  };
}
