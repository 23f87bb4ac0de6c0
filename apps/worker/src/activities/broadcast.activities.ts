import { ApplicationFailure, Context } from '@temporalio/activity';
import { broadcastEventId, type BroadcastProgress, type EventSignal } from '@kairos/contracts';
import type {
  AudienceMember,
  BroadcastAudienceRepository,
  BroadcastRow,
  BroadcastsRepository,
  JourneyEventsRepository,
} from '@kairos/persistence';
import { ProfilePredSchema } from '@kairos/triggers';
import { compileAudience } from '../broadcasts/audience-sql';
import type { JourneySignaller } from '../broadcasts/journey-signaller';
import { mapBounded, TokenBucket } from '../broadcasts/pace';

export type BroadcastActivityDeps = {
  broadcasts: BroadcastsRepository;
  audience: BroadcastAudienceRepository;
  events: JourneyEventsRepository;
  journeys: JourneySignaller;
  /** Customers read per activity call (one page). */
  pageSize?: number;
  /** Most customers recorded and signalled between two progress writes. */
  chunkSize?: number;
  /** How long one activity call delivers before it reports back to the workflow. */
  sliceMs?: number;
  /** Signals in flight at once. */
  concurrency?: number;
};

export type BroadcastPageResult = { name: string; progress: BroadcastProgress };

const progressOf = (b: BroadcastRow): BroadcastProgress => ({
  state: b.state,
  matched: b.matched,
  delivered: b.delivered,
  skipped: b.skipped,
  failed: b.failed,
});

/** The copy of the broadcast's event one customer's journey gets: the same on every redelivery. */
function eventFor(b: BroadcastRow, customerId: string): EventSignal {
  return {
    v: 2,
    id: broadcastEventId(b.id),
    customerId,
    name: b.name,
    category: 'external',
    ts: b.createdAt.getTime(),
    receivedAt: Date.now(),
    source: `broadcast:${b.id}`,
    properties: b.properties,
  };
}

function audienceOf(b: BroadcastRow): Parameters<BroadcastAudienceRepository['page']>[0]['audience'] {
  if (b.audienceKind === 'customers') return { kind: 'customers' };
  const where = ProfilePredSchema.safeParse(b.where);
  if (!where.success)
    throw ApplicationFailure.nonRetryable(`broadcast ${b.id}: stored audience is invalid`, 'BadAudience');
  return {
    kind: 'where',
    where: compileAudience(where.data),
    activeSince: b.activeWithinMs === null ? null : new Date(b.createdAt.getTime() - b.activeWithinMs),
  };
}

/**
 * The broadcast workflow's activities (docs/api.md §13). `deliverBroadcast` reads the audience
 * a page at a time after the stored cursor and delivers it chunk by chunk: each chunk's
 * events are recorded in journey_events, signalled at the broadcast's rate, then the cursor and
 * counts move in one guarded update. A retry (crash, timeout) starts after the last recorded
 * chunk; customers of a chunk cut short get the same event id again and their journey drops it.
 */
export function createBroadcastActivities(deps: BroadcastActivityDeps) {
  const pageSize = deps.pageSize ?? 1_000;
  const maxChunk = deps.chunkSize ?? 200;
  const sliceMs = deps.sliceMs ?? 300_000;
  const concurrency = deps.concurrency ?? 32;

  /**
   * Records and signals one chunk, then moves the cursor past what it handed on. On cancel, the
   * lanes stop taking customers: the untouched rest of the chunk is un-recorded and left out, as
   * are customers Temporal refused.
   */
  const deliverChunk = async (
    b: BroadcastRow,
    members: AudienceMember[],
    bucket: TokenBucket,
  ): Promise<{ row: BroadcastRow | null; cut: boolean }> => {
    const ctx = Context.current();
    const targets = members.filter((m) => m.hasJourney || b.startJourneys);
    await deps.events.recordSignals(targets.map((m) => eventFor(b, m.customerId)));
    const results = await mapBounded(targets, concurrency, async (m) => {
      if (ctx.cancellationSignal.aborted) return 'cut' as const;
      await bucket.take();
      ctx.heartbeat();
      return deps.journeys(eventFor(b, m.customerId));
    });
    // Lanes take customers in order, so the cut ones are the tail of `targets`. Neither they nor
    // the refused ones were handed on: journey_events must not say they were.
    const cut = targets.filter((_, i) => results[i] === 'cut');
    const unsent = targets.filter((_, i) => results[i] !== 'delivered').map((m) => m.customerId);
    if (unsent.length > 0) await deps.broadcasts.forgetEvents(broadcastEventId(b.id), unsent);
    const handled = cut.length > 0 ? members.slice(0, members.indexOf(cut[0]!)) : members;
    const failed = results.filter((r) => r === 'failed').length;
    const last = handled[handled.length - 1];
    if (!last) return { row: b, cut: true };
    const row = await deps.broadcasts.advance(b.id, b.afterCustomer, last.customerId, {
      matched: handled.length,
      delivered: results.filter((r) => r === 'delivered').length,
      skipped: handled.length - (targets.length - cut.length),
      failed,
    });
    return { row, cut: cut.length > 0 };
  };

  /** One page after the stored cursor; null when another attempt moved the cursor meanwhile. */
  const deliverPage = async (start: BroadcastRow, bucket: TokenBucket): Promise<BroadcastRow | null> => {
    const ctx = Context.current();
    let b = start;
    const page = await deps.audience.page({
      broadcastId: b.id,
      audience: audienceOf(b),
      after: b.afterCustomer,
      limit: pageSize,
    });
    // About a second of deliveries per chunk: progress and cancellation follow closely.
    const chunkSize = Math.min(maxChunk, Math.max(10, b.ratePerSecond));
    for (let i = 0; i < page.length; i += chunkSize) {
      ctx.heartbeat(progressOf(b));
      if (ctx.cancellationSignal.aborted) await ctx.cancelled;
      const next = await deliverChunk(b, page.slice(i, i + chunkSize), bucket);
      if (next.cut) await ctx.cancelled;
      if (!next.row) return null;
      b = next.row;
    }
    return page.length < pageSize ? deps.broadcasts.finish(b.id, 'completed') : b;
  };

  return {
    /**
     * Delivers page after page for up to `sliceMs`, then returns so the workflow can show the
     * progress; the journeys' workflow tasks share the task queue, so the broadcast asks for a
     * workflow task rarely rather than once per page.
     */
    async deliverBroadcast(input: { broadcastId: string }): Promise<BroadcastPageResult> {
      const until = Date.now() + sliceMs;
      let b = await deps.broadcasts.get(input.broadcastId);
      if (!b) throw ApplicationFailure.nonRetryable(`no broadcast ${input.broadcastId}`, 'NoBroadcast');
      const bucket = new TokenBucket(b.ratePerSecond);
      while (b.state === 'running' && Date.now() < until) {
        const next = await deliverPage(b, bucket);
        // Another attempt moved the cursor (this one was presumed dead): leave the rest to it.
        if (!next) return { name: b.name, progress: progressOf((await deps.broadcasts.get(b.id)) ?? b) };
        b = next;
      }
      return { name: b.name, progress: progressOf(b) };
    },

    /** Marks a cancelled broadcast; customers already signalled keep their event. */
    async cancelBroadcast(input: { broadcastId: string }): Promise<BroadcastPageResult> {
      const b = await deps.broadcasts.finish(input.broadcastId, 'cancelled');
      if (!b) throw ApplicationFailure.nonRetryable(`no broadcast ${input.broadcastId}`, 'NoBroadcast');
      return { name: b.name, progress: progressOf(b) };
    },
  };
}

export type BroadcastActivities = ReturnType<typeof createBroadcastActivities>;
