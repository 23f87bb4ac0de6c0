import { Inject, Injectable, Logger } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { customerWorkflowId, type EventSignal } from '@kairos/contracts';
import { IdentityLinksRepository, type MergedEventRow } from '@kairos/persistence';
import { temporalUnavailable } from '../common/problem';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { DatabaseService } from '../database/database.service';
import { JourneyClient } from '../temporal/journey.client';
import { TemporalService } from '../temporal/temporal.service';
import { LinkedCache } from './linked-cache';

/** Events of the anonymous journey handed to the known one: the latest, as a journey keeps no more. */
export const MERGED_EVENTS_LIMIT = 100;
const CACHE_CAPACITY = 10_000;

/** What link() did: merged now, nothing to do (done before), or refused (linked to another). */
export type LinkResult =
  | { status: 'merged'; moved: number; signalled: number }
  | { status: 'already-linked' }
  | { status: 'conflict'; customerId: string };

function isNotFound(err: unknown): boolean {
  return (
    err instanceof WorkflowNotFoundError || (err instanceof Error && err.name === 'WorkflowNotFoundError')
  );
}

function toSignal(knownId: string, row: MergedEventRow, requestId?: string): EventSignal {
  // v 2: the row is already recorded under the known customer (moved, not copied).
  return {
    v: 2,
    id: row.eventId,
    customerId: knownId,
    name: row.name,
    category: 'customer_action',
    ts: row.occurredAt.getTime(),
    receivedAt: row.receivedAt.getTime(),
    properties: row.properties ?? {},
    ...(requestId ? { requestId } : {}),
  };
}

/**
 * Anonymous visitor → known customer (docs/ingestion.md, "Anonymous visitors"). Idempotent: the
 * link and the move of recorded events are one transaction; the known journey dedupes the
 * handed-over events by id; the merge is marked done only after the anonymous journey ended, so
 * a call that failed half-way is completed by the next one.
 */
@Injectable()
export class IdentityService {
  private readonly logger = new Logger(IdentityService.name);
  private readonly links: IdentityLinksRepository;
  private readonly cache = new LinkedCache(CACHE_CAPACITY);

  constructor(
    database: DatabaseService,
    private readonly journeys: JourneyClient,
    private readonly temporal: TemporalService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.links = new IdentityLinksRepository(database.pool);
  }

  /** Links `anonymousId` (a customer id such as `anon:<id>`) to `knownId` and merges its journey. */
  async link(anonymousId: string, knownId: string, requestId?: string): Promise<LinkResult> {
    if (anonymousId === knownId || this.cache.get(anonymousId) === knownId)
      return { status: 'already-linked' };
    const outcome = await this.links.link(anonymousId, knownId);
    if (outcome.status === 'conflict') {
      this.logger.warn(
        `${anonymousId} is already linked to another customer; not linked to ${knownId} (first link kept)`,
      );
      this.cache.set(anonymousId, outcome.customerId);
      return outcome;
    }
    if (outcome.done && outcome.moved === 0) {
      this.cache.set(anonymousId, knownId);
      return { status: 'already-linked' };
    }
    const rows = await this.links.merged(anonymousId, knownId, MERGED_EVENTS_LIMIT);
    try {
      // One at a time, oldest first: the known journey takes them in that order.
      for (const row of rows) await this.journeys.sendEvent(toSignal(knownId, row, requestId));
      await this.endAnonymous(anonymousId, knownId);
    } catch (err) {
      throw temporalUnavailable(
        this.config.retryAfterS,
        `${anonymousId} was not merged into ${knownId}`,
        err,
      );
    }
    await this.links.complete(anonymousId);
    this.cache.set(anonymousId, knownId);
    return { status: 'merged', moved: outcome.moved, signalled: rows.length };
  }

  /** The known customer of each linked anonymous customer id among those given (absent: not linked). */
  async resolve(anonymousIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const unknown: string[] = [];
    for (const id of new Set(anonymousIds)) {
      const known = this.cache.get(id);
      if (known === undefined) unknown.push(id);
      else found.set(id, known);
    }
    for (const [id, known] of await this.links.resolve(unknown)) {
      this.cache.set(id, known);
      found.set(id, known);
    }
    return found;
  }

  private async endAnonymous(anonymousId: string, knownId: string): Promise<void> {
    try {
      await this.temporal.call(() =>
        this.temporal.client.workflow
          .getHandle(customerWorkflowId(anonymousId))
          .terminate(`merged into ${knownId}`),
      );
    } catch (err) {
      // No journey (never started, or ended by an earlier, interrupted merge): nothing to end.
      if (!isNotFound(err)) throw err;
    }
  }
}
