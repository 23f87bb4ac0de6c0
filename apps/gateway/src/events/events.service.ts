import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { customerWorkflowId, type EventSignal } from '@kairos/contracts';
import { EventSchema, type Event } from '@kairos/events';
import { LruSet } from '../common/lru';
import { ProblemException, temporalUnavailable, zodFields, type ProblemBody } from '../common/problem';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { MetricsService } from '../metrics/metrics.service';
import { JourneyClient } from '../temporal/journey.client';
import { TriggerCatalogService } from '../triggers/trigger-catalog.service';
import { VolumeService } from '../volume/volume.service';
import { RateLimitService } from './rate-limit.service';

export type EventStatus = 'accepted' | 'duplicate' | 'ignored';
export type EventResult = { id: string; status: EventStatus; workflowId: string };
export type BatchItemResult =
  | { index: number; id: string; status: EventStatus; workflowId: string }
  | { index: number; id: string | null; status: 'rejected'; error: ProblemBody; retryAfter?: number };

// Customers handled at once within one batch (each customer's events stay in order).
const BATCH_CONCURRENCY = 32;

/**
 * Hands each validated event durably to the customer's journey (signal-with-start).
 *
 * Idempotency: the journey workflow keeps the authoritative dedupe set of event ids. The gateway
 * short-circuits recent repeats from an in-memory LRU of (customer, id) pairs it already
 * answered, and joins a repeat that arrives while the first copy is still in flight, so a
 * retried event is answered `duplicate` without a second signal in the common case; a repeat it
 * does not remember (restart, other instance, evicted) is signalled and dropped by the workflow.
 */
@Injectable()
export class EventsService {
  private readonly recent: LruSet;
  private readonly inflight = new Map<string, Promise<EventResult>>();

  constructor(
    private readonly journeys: JourneyClient,
    private readonly catalog: TriggerCatalogService,
    private readonly volume: VolumeService,
    private readonly rateLimit: RateLimitService,
    private readonly metrics: MetricsService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.recent = new LruSet(config.dedupeCacheSize);
  }

  /** One validated event: 202 body, or a ProblemException (429, 503). */
  async accept(event: Event, requestId?: string): Promise<EventResult> {
    const receivedAt = Date.now();
    await this.rateLimit.take(event.customerId);
    const workflowId = customerWorkflowId(event.customerId);
    const id = event.id ?? `evt_${randomUUID()}`;
    const key = `${event.customerId}\u0000${id}`;
    if (event.id !== undefined) {
      const pending = this.inflight.get(key);
      if (
        this.recent.has(key) ||
        (pending &&
          (await pending.then(
            () => true,
            () => false,
          )))
      ) {
        return this.answered(event.name, receivedAt, { id, status: 'duplicate', workflowId });
      }
    }
    if (!this.catalog.isRelevant(event.name)) {
      this.recent.add(key);
      return this.answered(event.name, receivedAt, { id, status: 'ignored', workflowId });
    }
    const sending = this.signal(event, id, workflowId, receivedAt, requestId);
    this.inflight.set(key, sending);
    try {
      const result = await sending;
      this.recent.add(key);
      return this.answered(event.name, receivedAt, result);
    } finally {
      this.inflight.delete(key);
    }
  }

  /** A batch: every item validated and answered on its own, in order; one customer's items in sequence. */
  async acceptBatch(items: unknown[], requestId?: string): Promise<BatchItemResult[]> {
    const results: BatchItemResult[] = new Array<BatchItemResult>(items.length);
    const byCustomer = new Map<string, { index: number; event: Event }[]>();
    items.forEach((item, index) => {
      const parsed = EventSchema.safeParse(item);
      if (!parsed.success) {
        const errors = zodFields(parsed.error);
        const given = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
        this.metrics.events.inc({ status: 'rejected' });
        this.metrics.error('validation');
        results[index] = {
          index,
          id: typeof given === 'string' ? given : null,
          status: 'rejected',
          error: {
            type: 'https://kairos.dev/problems/validation',
            title: 'Event is invalid',
            status: 400,
            detail: `${errors.length} field(s) failed validation: ${errors.map((e) => e.path).join(', ')}`,
            errors,
          },
        };
        return;
      }
      const list = byCustomer.get(parsed.data.customerId) ?? [];
      list.push({ index, event: parsed.data });
      byCustomer.set(parsed.data.customerId, list);
    });
    const queues = [...byCustomer.values()];
    const runQueue = async (): Promise<void> => {
      for (let queue = queues.shift(); queue; queue = queues.shift()) {
        for (const { index, event } of queue) {
          try {
            results[index] = { index, ...(await this.accept(event, requestId)) };
          } catch (err) {
            if (!(err instanceof ProblemException)) throw err;
            this.metrics.events.inc({ status: 'rejected' });
            this.metrics.error(err.code === 'rate-limited' ? 'rate_limited' : 'temporal_unavailable');
            const retryAfter = Number(err.headers['retry-after']);
            results[index] = {
              index,
              id: event.id ?? null,
              status: 'rejected',
              error: err.body,
              ...(retryAfter > 0 ? { retryAfter } : {}),
            };
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, queues.length) }, runQueue));
    return results;
  }

  private answered(name: string, at: number, result: EventResult): EventResult {
    this.metrics.events.inc({ status: result.status });
    this.volume.count(name, result.status, at);
    return result;
  }

  private async signal(
    event: Event,
    id: string,
    workflowId: string,
    receivedAt: number,
    requestId?: string,
  ): Promise<EventResult> {
    const signal: EventSignal = {
      v: 1,
      id,
      customerId: event.customerId,
      name: event.name,
      category: event.category,
      ts: event.occurredAt ? Date.parse(event.occurredAt) : receivedAt,
      receivedAt,
      ...(event.source ? { source: event.source } : {}),
      properties: event.properties,
      ...(requestId ? { requestId } : {}),
    };
    try {
      // 202 only after Temporal accepted the signal: from then on the event cannot be lost.
      await this.journeys.sendEvent(signal);
    } catch (err) {
      throw temporalUnavailable(this.config.retryAfterS, 'The event was not accepted', err);
    }
    return { id, status: 'accepted', workflowId };
  }
}
