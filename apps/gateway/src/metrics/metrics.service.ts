import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Error kinds counted by `kairos_gateway_errors_total` (one per problem type). */
export type ErrorKind =
  | 'validation'
  | 'invalid_json'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'body_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'temporal_unavailable'
  | 'journey_unavailable'
  | 'database'
  | 'internal'
  | 'other';

/** Prometheus metrics of one gateway instance: a registry of its own, so several apps can coexist. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: 'kairos_gateway_http_requests_total',
    help: 'HTTP requests answered, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly latency = new Histogram({
    name: 'kairos_gateway_http_request_duration_seconds',
    help: 'HTTP request latency, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly signals = new Counter({
    name: 'kairos_gateway_temporal_signals_total',
    help: 'Signals sent to journey workflows, by signal name and outcome (ok | error | not_found)',
    labelNames: ['signal', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly events = new Counter({
    name: 'kairos_gateway_events_total',
    help: 'Events answered, by outcome (accepted | duplicate | ignored | rejected)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  readonly eventsLeftToJourney = new Counter({
    name: 'kairos_gateway_events_unrecorded_total',
    help: 'Accepted events Postgres did not take at the gateway, signalled for the journey to record',
    registers: [this.registry],
  });

  readonly feedback = new Counter({
    name: 'kairos_gateway_feedback_total',
    help: 'Provider callbacks (POST /v1/feedback), by outcome (recorded | duplicate | ignored: unknown delivery)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly errors = new Counter({
    name: 'kairos_gateway_errors_total',
    help: 'Errors answered or met, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly definitionsMismatch = new Gauge({
    name: 'kairos_definitions_mismatch',
    help: 'Whether a live worker loaded other trigger definitions than this gateway (1) or not (0; also when unknown)',
    registers: [this.registry],
  });

  // Refreshed just before each scrape (values read from elsewhere, e.g. Postgres).
  private readonly scrapeHooks: (() => Promise<void>)[] = [];

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'kairos_gateway_' });
  }

  error(kind: ErrorKind): void {
    this.errors.inc({ kind });
  }

  /** Runs `hook` before every scrape; a failing hook leaves its values as they were. */
  onScrape(hook: () => Promise<void>): void {
    this.scrapeHooks.push(hook);
  }

  /** Prometheus text exposition format. */
  async render(): Promise<string> {
    await Promise.all(this.scrapeHooks.map((hook) => hook().catch(() => undefined)));
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
