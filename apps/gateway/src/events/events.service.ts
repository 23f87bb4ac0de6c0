import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { customerWorkflowId, type EventSignal } from '@kairos/contracts';
import { EventSchema, type Event } from '@kairos/events';
import { LruSet } from '../common/lru';
import { ProblemException, temporalUnavailable, zodFields, type ProblemBody } from '../common/problem';
import { findUnstorableText, UNSTORABLE_MESSAGE } from '../common/storable-text';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { MetricsService } from '../metrics/metrics.service';
import { JourneyClient } from '../temporal/journey.client';
import { TriggerCatalogService } from '../triggers/trigger-catalog.service';
import { VolumeService } from '../volume/volume.service';
import { EventRecorderService } from './event-recorder.service';
import { RateLimitService } from './rate-limit.service';

export type EventStatus = 'accepted' | 'duplicate' | 'ignored';
export type EventResult = { id: string; status: EventStatus; workflowId: string };
export type BatchItemResult =
  | { index: number; id: string; status: EventStatus; workflowId: string }
  | { index: number; id: string | null; status: 'rejected'; error: ProblemBody; retryAfter?: number };

// Customers handled at once within one batch (each customer's events stay in order).
const BATCH_CONCURRENCY = 32;

type Deferred<T> = { promise: Promise<T>; resolve: (r: T) => void; reject: (e: unknown) => void };

/** An event admitted for signalling: recorded next, then signalled; repeats meanwhile wait on `done`. */
type Admitted = {
  key: string;
  name: string;
  signal: EventSignal;
  result: EventResult;
  done: Deferred<EventResult>;
};

type Item = { index: number; event: Event };

/** Who sent an event (the API key, for its rate) and the batch it came in (for repeats within it). */
type AdmitContext = { requestId?: string | undefined; keyId?: string | undefined; batch?: Set<string> };

/** Runs `work` over each customer's items in order, up to BATCH_CONCURRENCY customers at once. */
async function perCustomer<T extends { customerId: string }>(
  items: { index: number; of: T }[],
  work: (item: { index: number; of: T }) => Promise<void>,
): Promise<void> {
  const byCustomer = new Map<string, { index: number; of: T }[]>();
  for (const item of items)
    byCustomer.set(item.of.customerId, [...(byCustomer.get(item.of.customerId) ?? []), item]);
  const queues = [...byCustomer.values()];
  const runQueue = async (): Promise<void> => {
    for (let queue = queues.shift(); queue; queue = queues.shift())
      for (const item of queue) await work(item);
  };
  await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, queues.length) }, runQueue));
}

/**
 * Hands each validated event durably to the customer's journey: recorded in journey_events (one
 * insert per request), then signal-with-start. 202 only after both: from then on it cannot be lost.
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
    private readonly recorder: EventRecorderService,
    private readonly catalog: TriggerCatalogService,
    private readonly volume: VolumeService,
    private readonly rateLimit: RateLimitService,
    private readonly metrics: MetricsService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.recent = new LruSet(config.dedupeCacheSize);
  }

  /** One validated event: 202 body, or a ProblemException (429, 503). */
  async accept(event: Event, requestId?: string, keyId?: string): Promise<EventResult> {
    const admitted = await this.admit(event, { requestId, keyId });
    if (!('signal' in admitted)) return admitted;
    await this.recordOrRelease([admitted]);
    return this.deliver(admitted);
  }

  /** A batch: every item validated and answered on its own, in order; one customer's items in sequence. */
  async acceptBatch(items: unknown[], requestId?: string, keyId?: string): Promise<BatchItemResult[]> {
    const results: BatchItemResult[] = new Array<BatchItemResult>(items.length);
    const valid = this.validate(items, results);
    const admitted: { index: number; of: Admitted & { customerId: string } }[] = [];
    const keys = new Set<string>();
    await perCustomer(
      valid.map(({ index, event }) => ({ index, of: event })),
      async ({ index, of: event }) => {
        try {
          const a = await this.admit(event, { requestId, keyId, batch: keys });
          if ('signal' in a) admitted.push({ index, of: { ...a, customerId: event.customerId } });
          else results[index] = { index, ...a };
        } catch (err) {
          results[index] = this.rejected(index, event.id ?? null, err);
        }
      },
    );
    admitted.sort((a, b) => a.index - b.index);
    try {
      await this.recordOrRelease(admitted.map((a) => a.of));
    } catch (err) {
      for (const { index, of } of admitted) results[index] = this.rejected(index, of.result.id, err);
      return results;
    }
    await perCustomer(admitted, async ({ index, of }) => {
      try {
        results[index] = { index, ...(await this.deliver(of)) };
      } catch (err) {
        results[index] = this.rejected(index, of.result.id, err);
      }
    });
    return results;
  }

  /**
   * Rate limits, dedupe, relevance and the new-journey cap: the answer for a repeat or an ignored
   * event, else the event to hand on.
   */
  private async admit(
    event: Event,
    { requestId, keyId, batch }: AdmitContext,
  ): Promise<EventResult | Admitted> {
    const receivedAt = Date.now();
    await this.rateLimit.take(event.customerId, keyId);
    const workflowId = customerWorkflowId(event.customerId);
    const id = event.id ?? `evt_${randomUUID()}`;
    const key = `${event.customerId}\u0000${id}`;
    if (event.id !== undefined) {
      const pending = this.inflight.get(key);
      // A repeat within one batch: its first copy is handed on in this request (no waiting on it).
      const seen =
        this.recent.has(key) ||
        batch?.has(key) === true ||
        (pending !== undefined &&
          (await pending.then(
            () => true,
            () => false,
          )));
      if (seen) return this.answered(event.name, receivedAt, { id, status: 'duplicate', workflowId });
    }
    if (!this.catalog.isRelevant(event.name)) {
      this.recent.add(key);
      return this.answered(event.name, receivedAt, { id, status: 'ignored', workflowId });
    }
    const done = deferred<EventResult>();
    this.inflight.set(key, done.promise);
    batch?.add(key);
    // In flight before the cap's query, so a repeat arriving meanwhile waits for this copy.
    try {
      await this.rateLimit.takeJourney(event.customerId);
    } catch (err) {
      this.inflight.delete(key);
      batch?.delete(key);
      done.reject(err);
      throw err;
    }
    const signal: EventSignal = {
      v: 2,
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
    return { key, name: event.name, signal, result: { id, status: 'accepted', workflowId }, done };
  }

  /** Records admitted events; those Postgres did not take go to the journey unrecorded, for it to record. */
  private async recordOrRelease(admitted: Admitted[]): Promise<void> {
    try {
      if (await this.recorder.record(admitted.map((a) => a.signal))) return;
      for (const a of admitted) a.signal = { ...a.signal, v: 1 };
    } catch (err) {
      for (const a of admitted) this.release(a, err);
      throw err;
    }
  }

  private async deliver(a: Admitted): Promise<EventResult> {
    try {
      await this.journeys.sendEvent(a.signal);
    } catch (err) {
      const problem = temporalUnavailable(this.config.retryAfterS, 'The event was not accepted', err);
      this.release(a, problem);
      throw problem;
    }
    this.recent.add(a.key);
    this.inflight.delete(a.key);
    a.done.resolve(a.result);
    return this.answered(a.name, a.signal.receivedAt, a.result);
  }

  private release(a: Admitted, err: unknown): void {
    this.inflight.delete(a.key);
    a.done.reject(err);
  }

  private validate(items: unknown[], results: BatchItemResult[]): Item[] {
    const valid: Item[] = [];
    items.forEach((item, index) => {
      const unstorable = findUnstorableText(item);
      const parsed = unstorable === null ? EventSchema.safeParse(item) : null;
      if (parsed?.success) return void valid.push({ index, event: parsed.data });
      const errors = parsed
        ? zodFields(parsed.error)
        : [{ path: unstorable ?? '', message: UNSTORABLE_MESSAGE }];
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
    });
    return valid;
  }

  private rejected(index: number, id: string | null, err: unknown): BatchItemResult {
    if (!(err instanceof ProblemException)) throw err;
    this.metrics.events.inc({ status: 'rejected' });
    this.metrics.error(
      err.code === 'rate-limited'
        ? 'rate_limited'
        : err.code === 'database-unavailable'
          ? 'database'
          : 'temporal_unavailable',
    );
    const retryAfter = Number(err.headers['retry-after']);
    return { index, id, status: 'rejected', error: err.body, ...(retryAfter > 0 ? { retryAfter } : {}) };
  }

  private answered(name: string, at: number, result: EventResult): EventResult {
    this.metrics.events.inc({ status: result.status });
    this.volume.count(name, result.status, at);
    return result;
  }
}

function deferred<T>(): Deferred<T> {
  let resolve!: (r: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Nobody may be waiting for it: a rejection must not become an unhandled one.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
