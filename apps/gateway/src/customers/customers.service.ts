import { Inject, Injectable } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  customerWorkflowId,
  QUERIES,
  SIGNALS,
  type ExitSignal,
  type JourneyView,
  type ProfileChangedSignal,
} from '@kairos/contracts';
import type { CustomerProfile } from '@kairos/events';
import { CustomersRepository, type StoredCustomer } from '@kairos/persistence';
import { ProblemException, temporalUnavailable } from '../common/problem';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { DatabaseService } from '../database/database.service';
import { MetricsService } from '../metrics/metrics.service';
import { TemporalService } from '../temporal/temporal.service';

export type CustomerView = CustomerProfile & { customerId: string; createdAt: string; updatedAt: string };
export type SignalOutcome = 'signalled' | 'no-journey';

function isNotFound(err: unknown): boolean {
  return (
    err instanceof WorkflowNotFoundError || (err instanceof Error && err.name === 'WorkflowNotFoundError')
  );
}

/** Customer profiles in Postgres, and the signals and queries that reach a customer's journey. */
@Injectable()
export class CustomersService {
  private readonly repo: CustomersRepository;

  constructor(
    database: DatabaseService,
    private readonly temporal: TemporalService,
    private readonly metrics: MetricsService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.repo = new CustomersRepository(database.pool);
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
    const journey = await this.signal(
      customerId,
      SIGNALS.profileChanged,
      payload,
      'The profile was saved but the journey was not told',
    );
    return { customer: view(stored), created: stored.created, journey };
  }

  async get(customerId: string): Promise<CustomerView> {
    const stored = await this.repo.get(customerId);
    if (!stored)
      throw new ProblemException(
        404,
        'customer-not-found',
        'Customer not found',
        `No profile is stored for customer "${customerId}".`,
      );
    return view(stored);
  }

  /** Cancels every pending response of the customer's journey (the worker records the exit). */
  async exit(customerId: string, reason: string, requestId?: string): Promise<SignalOutcome> {
    const payload: ExitSignal = { v: 1, reason, at: Date.now(), ...(requestId ? { requestId } : {}) };
    return this.signal(customerId, SIGNALS.exit, payload, 'The exit was not delivered');
  }

  /** The live journey, read by a workflow query; 404 when the customer has none. */
  async journey(customerId: string): Promise<JourneyView> {
    const workflowId = customerWorkflowId(customerId);
    try {
      return await this.temporal.call(() =>
        this.temporal.client.workflow.getHandle(workflowId).query<JourneyView>(QUERIES.journey),
      );
    } catch (err) {
      if (isNotFound(err))
        throw new ProblemException(
          404,
          'no-journey',
          'No journey',
          `Customer "${customerId}" has no journey (no relevant event was accepted yet).`,
        );
      // A query needs a worker as well as the server: say which side to look at.
      const reachable = await this.temporal.isReady();
      if (!reachable)
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
  }

  private async signal(
    customerId: string,
    name: string,
    payload: unknown,
    what: string,
  ): Promise<SignalOutcome> {
    try {
      await this.temporal.call(() =>
        this.temporal.client.workflow.getHandle(customerWorkflowId(customerId)).signal(name, payload),
      );
      this.metrics.signals.inc({ signal: name, outcome: 'ok' });
      return 'signalled';
    } catch (err) {
      // No running journey yet: nothing to tell; it reads the profile when it starts.
      if (isNotFound(err)) {
        this.metrics.signals.inc({ signal: name, outcome: 'not_found' });
        return 'no-journey';
      }
      this.metrics.signals.inc({ signal: name, outcome: 'error' });
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
