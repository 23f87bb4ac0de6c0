// FROZEN: the journey code of Kairos v1, kept byte-for-byte in behaviour so that journeys which
// started before journey v2 replay and finish. It runs only runs whose recorded input is `v: 1`;
// at its next workflow task on a v2 worker such a run continues as new onto v2 (the one
// patched('journey-v2-takeover') gate at the top of the main loop). Delete this folder (and
// activities/v1) once no v1 run is left: `temporal workflow count --query "WorkflowType =
// 'customerJourneyWorkflow' AND ExecutionStatus = 'Running'"` against runs started before v2.
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  escalationAckSignal,
  eventSignal,
  exitSignal,
  feedbackSignal,
  journeyQuery,
  profileChangedSignal,
  type EscalationAckSignal,
  type EventSignal,
  type ExitSignal,
  type FeedbackSignal,
  type JourneyInput,
  type JourneyView,
} from '@kairos/contracts';
import {
  createEngine,
  evaluatePred,
  type Engine,
  type EngineState,
  type MatchOutput,
} from '@kairos/triggers';
import type { ChannelActivities, EscalationActivities } from '../../activities';
import type { LegacyActivities } from '../../activities/v1/legacy.activities';
import { assignVariant, atomMatches, lite } from './journey-v1-helpers';
import type {
  AtomDef,
  AttributionInput,
  ChannelName,
  Definitions,
  EventLite,
  Profile,
  ResponseDef,
  SentRecord,
} from './journey-v1-types';

const { recordEvents, loadProfile, logAttribution } = proxyActivities<LegacyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
// Deliveries give up after ~1 hour of retries so a dead provider marks the response failed
// (and lets a fallback channel take over) instead of blocking the journey forever.
const { sendMessage } = proxyActivities<ChannelActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes', maximumAttempts: 20 },
});
const { openEscalation, resolveEscalation } = proxyActivities<EscalationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
// Pure decisions (definitions, time-zone arithmetic, policy): local activities, recorded as markers.
const { loadDefinitions } = proxyLocalActivities<LegacyActivities>({
  startToCloseTimeout: '10 seconds',
});
const { computeSendTime, planDelivery } = proxyLocalActivities<LegacyActivities>({
  startToCloseTimeout: '10 seconds',
});

/** A response waiting to run: its trigger's response is copied in, so it keeps the version it started with. */
export type PendingResponseV1 = {
  matchId: string;
  triggerId: string;
  version: number;
  priority: number;
  matchedAt: number;
  response: ResponseDef;
  bindings: Record<string, EventLite[]>;
  variant: string | null;
  state: 'scheduled' | 'awaitingEngagement';
  runAt: number;
  /** Index in response.channels.order of the next channel to try. */
  channelIndex: number;
  /** Deferrals past this instant drop the response (optimal delays: the end of their window). */
  deadline: number | null;
  deliveryId: string | null;
};

export type EscalationV1 = {
  id: string;
  matchId: string;
  triggerId: string;
  version: number;
  level: number;
  then: string | null;
  slaMs: number;
  deadline: number;
  summary: string;
};
export type ConversionWatchV1 = {
  matchId: string;
  triggerId: string;
  version: number;
  until: number;
  event: AtomDef;
  valuePath?: string;
};
export type HistoryEntryV1 = JourneyView['history'][number];

/** Everything a v1 run hands to the next over continue-as-new (and, converted, to v2). */
export type CarriedStateV1 = {
  v: 1;
  defs: Definitions;
  engine: EngineState;
  seen: string[];
  counters: JourneyView['counters'];
  recent: JourneyView['recentEvents'];
  store: EventLite[];
  pending: PendingResponseV1[];
  escalations: EscalationV1[];
  conversions: ConversionWatchV1[];
  history: HistoryEntryV1[];
  sent: SentRecord[];
  engagements: number[];
  lastTrigger: string | null;
  lastEventAt: number | null;
  profile: Profile | null;
  profileStale: boolean;
  inbox: EventSignal[];
  exits: ExitSignal[];
  acks: EscalationAckSignal[];
  feedbacks: FeedbackSignal[];
  runs: number;
};

const SEEN_CAPACITY = 2000;
const STORE_CAPACITY = 100;
const SENT_CAPACITY = 200;
const SENT_HORIZON_MS = 8 * 86_400_000;
const ENGAGEMENT_CAPACITY = 50;
const BATCH = 500;

const iso = (ms: number): string => new Date(ms).toISOString();
const cap = <T>(list: T[], n: number): void => {
  if (list.length > n) list.splice(0, list.length - n);
};

/** Continues a v1 run as new onto v2 with its state converted; never returns. */
export type TakeoverToV2 = (customerId: string, carried: CarriedStateV1) => Promise<never>;

/**
 * The long-lived journey of one customer (v1): takes in events, feeds the matcher, runs the
 * response of every winning match (policy, timing, channels, escalation) and records it all.
 * `takeover` null runs the code exactly as v1 workers did (the takeover test's v1 worker).
 */
export async function customerJourneyV1(input: JourneyInput, takeover: TakeoverToV2 | null): Promise<void> {
  const prior = input.carried as CarriedStateV1 | undefined;
  const customerId = input.customerId;
  const workflowId = workflowInfo().workflowId;

  // Signals only record; the main loop does the work, in order. Registered before the first
  // await so no signal delivered with the start (signal-with-start) is missed.
  const seen = prior?.seen ?? [];
  const counters = prior?.counters ?? { events: 0, duplicates: 0, late: 0 };
  const inbox: EventSignal[] = prior?.inbox ?? [];
  const exits: ExitSignal[] = prior?.exits ?? [];
  const acks: EscalationAckSignal[] = prior?.acks ?? [];
  const feedbacks: FeedbackSignal[] = prior?.feedbacks ?? [];
  let profileStale = prior?.profileStale ?? false;
  setHandler(eventSignal, (event) => {
    if (seen.includes(event.id)) {
      counters.duplicates += 1;
      return;
    }
    seen.push(event.id);
    if (seen.length > SEEN_CAPACITY) seen.shift();
    inbox.push(event);
  });
  setHandler(profileChangedSignal, () => {
    profileStale = true;
  });
  setHandler(exitSignal, (e) => void exits.push(e));
  setHandler(escalationAckSignal, (a) => void acks.push(a));
  setHandler(feedbackSignal, (f) => void feedbacks.push(f));

  const recent = prior?.recent ?? [];
  const store = prior?.store ?? [];
  const pending = prior?.pending ?? [];
  const escalations = prior?.escalations ?? [];
  const conversions = prior?.conversions ?? [];
  const history = prior?.history ?? [];
  const sent = prior?.sent ?? [];
  const engagements = prior?.engagements ?? [];
  let lastTrigger = prior?.lastTrigger ?? null;
  let lastEventAt = prior?.lastEventAt ?? null;
  let profile = prior?.profile ?? null;
  let stage = 'starting';
  let engine: Engine | null = null;

  setHandler(journeyQuery, () => ({
    customerId,
    workflowId,
    stage,
    recentEvents: recent,
    partialMatches: (engine?.partials() ?? []).map((p) => ({
      triggerId: p.triggerId,
      key: p.key,
      startedAt: iso(p.startedAt),
      deadline: p.deadline === null ? null : iso(p.deadline),
    })),
    pendingResponses: pending.map((p) => ({
      matchId: p.matchId,
      triggerId: p.triggerId,
      runAt: iso(p.runAt),
      channel: p.response.channels.order[p.channelIndex] ?? p.response.channels.order[0] ?? '',
    })),
    history,
    counters,
  }));

  // Definitions: fetched by a local activity at the start of every run (so a restarted worker
  // with new files takes effect at the next continue-as-new), but a run keeps the carried set
  // while a partial match of a changed trigger is open: a match keeps the version it started with.
  const fresh = await loadDefinitions();
  let defs = fresh;
  if (prior && prior.defs.hash !== fresh.hash) {
    const old = createEngine(
      prior.defs.triggers.map((t) => t.definition),
      prior.defs.engineConfig,
      prior.engine,
    );
    const version = (d: Definitions, id: string) => d.triggers.find((t) => t.id === id)?.version;
    const inFlight = old
      .partials()
      .some((p) => version(fresh, p.triggerId) !== version(prior.defs, p.triggerId));
    if (inFlight) defs = prior.defs;
  }
  engine = createEngine(
    defs.triggers.map((t) => t.definition),
    defs.engineConfig,
    prior?.engine,
  );
  const eng = engine;
  const byId = new Map(defs.triggers.map((t) => [t.id, t]));

  const attribution: AttributionInput[] = [];
  const attribute = (row: Omit<AttributionInput, 'customerId'>): void =>
    void attribution.push({ customerId, ...row });
  const remember = (entry: HistoryEntryV1): void => {
    history.push(entry);
    cap(history, defs.settings.recentLimit);
  };

  async function currentProfile(): Promise<Profile> {
    if (profile === null || profileStale) {
      profileStale = false;
      profile = await loadProfile(customerId);
    }
    return profile;
  }

  // ---- one timer, at the earliest instant anything is due ----
  let timerAt: number | null = null;
  let timerScope: CancellationScope | null = null;
  let timerFired = false;
  function armTimer(at: number): void {
    if (timerAt !== null && timerAt <= at) return;
    timerScope?.cancel();
    const scope = new CancellationScope();
    timerScope = scope;
    timerAt = at;
    scope
      .run(() => sleep(Math.max(1, at - Date.now()), { summary: `journey wakeup at ${iso(at)}` }))
      .then(
        () => {
          if (timerScope === scope) {
            timerScope = null;
            timerAt = null;
            timerFired = true;
          }
        },
        (err: unknown) => {
          if (!isCancellation(err)) throw err;
        },
      );
  }

  // ---- matches ----
  async function onMatch(m: MatchOutput): Promise<void> {
    const def = byId.get(m.triggerId);
    if (m.status === 'suppressed') {
      remember({
        matchId: m.matchId,
        triggerId: m.triggerId,
        at: iso(m.matchedAt),
        status: 'suppressed',
        reason: m.reason ?? 'suppressed',
      });
      attribute({
        matchId: m.matchId,
        triggerId: m.triggerId,
        triggerVersion: m.version,
        kind: 'suppressed',
        reason: m.reason ?? null,
        at: m.matchedAt,
      });
      return;
    }
    lastTrigger = m.triggerId;
    attribute({
      matchId: m.matchId,
      triggerId: m.triggerId,
      triggerVersion: m.version,
      kind: 'fired',
      at: m.matchedAt,
      details: { kind: m.kind, key: m.key },
    });
    const response = def?.response;
    if (!response) {
      remember({
        matchId: m.matchId,
        triggerId: m.triggerId,
        at: iso(m.matchedAt),
        status: 'fired',
        reason: 'no response defined',
      });
      return;
    }
    const bindings: Record<string, EventLite[]> = {};
    for (const [name, ids] of Object.entries(m.bindings))
      bindings[name] = ids
        .map((id) => store.find((e) => e.id === id))
        .filter((e): e is EventLite => e !== undefined);
    const lastId = m.eventIds[m.eventIds.length - 1];
    const lastEvent = lastId === undefined ? undefined : store.find((e) => e.id === lastId);

    if (response.escalate) {
      const p = await currentProfile();
      const root = { name: lastEvent?.name ?? '', properties: lastEvent?.properties ?? {}, profile: p };
      if (evaluatePred(response.escalate.when, root)) {
        await startEscalation(
          m.matchId,
          m.triggerId,
          m.version,
          1,
          response.escalate.to,
          response.escalate.then ?? null,
          response.escalate.slaMs,
        );
      }
    }

    const assignment = assignVariant(customerId, m.triggerId, response);
    if (assignment.kind === 'holdout') {
      attribute({
        matchId: m.matchId,
        triggerId: m.triggerId,
        triggerVersion: m.version,
        kind: 'holdout',
        at: m.matchedAt,
      });
      remember({
        matchId: m.matchId,
        triggerId: m.triggerId,
        at: iso(m.matchedAt),
        status: 'suppressed',
        reason: 'holdout',
      });
      return;
    }
    const variant = assignment.kind === 'variant' ? assignment.id : null;
    if (variant !== null)
      attribute({
        matchId: m.matchId,
        triggerId: m.triggerId,
        triggerVersion: m.version,
        kind: 'exposure',
        variant,
        at: m.matchedAt,
      });
    const delay = assignment.kind === 'variant' ? assignment.delay : response.delay;
    const now = Date.now();
    let runAt = now;
    if (delay.type === 'fixed') runAt = now + delay.durationMs;
    else if (delay.type !== 'none') {
      const p = await currentProfile();
      runAt = (await computeSendTime({ now, timezone: p.timezone ?? null, delay, engagements })).runAt;
    }
    pending.push({
      matchId: m.matchId,
      triggerId: m.triggerId,
      version: m.version,
      priority: m.priority,
      matchedAt: m.matchedAt,
      response,
      bindings,
      variant,
      state: 'scheduled',
      runAt,
      channelIndex: 0,
      deadline: delay.type === 'optimal' ? now + delay.withinMs : null,
      deliveryId: null,
    });
  }

  async function startEscalation(
    matchId: string,
    triggerId: string,
    version: number,
    level: number,
    target: string,
    then: string | null,
    slaMs: number,
  ): Promise<void> {
    const deadline = Date.now() + slaMs;
    const summary = `Trigger ${triggerId} needs a human (level ${level})`;
    const r = await openEscalation({
      matchId,
      customerId,
      workflowId,
      triggerId,
      level,
      target,
      slaDeadline: deadline,
      summary,
    });
    escalations.push({
      id: r.escalationId,
      matchId,
      triggerId,
      version,
      level,
      then,
      slaMs,
      deadline,
      summary,
    });
    attribute({
      matchId,
      triggerId,
      triggerVersion: version,
      kind: 'escalated',
      channel: `level-${level}`,
      at: Date.now(),
      details: { target, escalationId: r.escalationId },
    });
    remember({
      matchId,
      triggerId,
      at: iso(Date.now()),
      status: 'escalated',
      reason: `to ${target}`,
      channel: `escalation-${level}`,
    });
  }

  function finish(
    p: PendingResponseV1,
    status: string,
    reason: string | undefined,
    kind: 'cancelled' | 'suppressed' | 'failed' | 'exit' | null,
  ): void {
    const i = pending.indexOf(p);
    if (i >= 0) pending.splice(i, 1);
    remember({
      matchId: p.matchId,
      triggerId: p.triggerId,
      at: iso(Date.now()),
      status,
      ...(reason ? { reason } : {}),
    });
    if (kind)
      attribute({
        matchId: p.matchId,
        triggerId: p.triggerId,
        triggerVersion: p.version,
        kind,
        reason: reason ?? null,
        variant: p.variant,
        at: Date.now(),
      });
  }

  async function runDue(p: PendingResponseV1): Promise<void> {
    const order = p.response.channels.order;
    const fallback = p.response.channels.strategy === 'fallback';
    for (;;) {
      const channels = fallback ? order.slice(p.channelIndex) : order;
      if (channels.length === 0) {
        pending.splice(pending.indexOf(p), 1);
        return;
      }
      const prof = await currentProfile();
      const now = Date.now();
      const plan = await planDelivery({
        now,
        timezone: prof.timezone ?? null,
        channels,
        reachable: reachable(prof),
        priority: p.priority,
        policy: defs.policy,
        customerQuietHours: prof.quietHours ?? null,
        respectQuietHours: p.response.policy.quietHours === 'respect',
        respectCaps: p.response.policy.caps === 'respect',
        sent,
        deadline: p.deadline,
      });
      if (plan.action === 'defer') {
        p.runAt = plan.until;
        attribute({
          matchId: p.matchId,
          triggerId: p.triggerId,
          triggerVersion: p.version,
          kind: 'deferred',
          reason: plan.reason,
          at: now,
          details: { until: iso(plan.until) },
        });
        return;
      }
      if (plan.action === 'drop') {
        if (p.state === 'awaitingEngagement') return finish(p, 'sent', `no fallback: ${plan.reason}`, null);
        return finish(p, 'suppressed', plan.reason, 'suppressed');
      }
      const channel = plan.channel;
      try {
        const r = await sendMessage({
          matchId: p.matchId,
          customerId,
          triggerId: p.triggerId,
          triggerVersion: p.version,
          channel,
          templateId: p.response.template,
          variant: p.variant,
          bindings: p.bindings,
          profile: prof,
          at: now,
        });
        sent.push({
          at: now,
          channel,
          triggerId: p.triggerId,
          priority: p.priority,
          deliveryId: r.deliveryId,
          matchId: p.matchId,
        });
        while (sent.length > SENT_CAPACITY || (sent[0] !== undefined && sent[0].at < now - SENT_HORIZON_MS))
          sent.shift();
        attribute({
          matchId: p.matchId,
          triggerId: p.triggerId,
          triggerVersion: p.version,
          kind: 'delivered',
          channel,
          deliveryId: r.deliveryId,
          variant: p.variant,
          at: now,
        });
        remember({ matchId: p.matchId, triggerId: p.triggerId, at: iso(now), status: 'sent', channel });
        const conv = p.response.conversion;
        if (conv)
          conversions.push({
            matchId: p.matchId,
            triggerId: p.triggerId,
            version: p.version,
            until: now + conv.windowMs,
            event: conv.event,
            ...(conv.valuePath ? { valuePath: conv.valuePath } : {}),
          });
        const nextIndex = order.indexOf(channel) + 1;
        if (fallback && p.response.channels.fallbackAfterMs !== undefined && nextIndex < order.length) {
          p.state = 'awaitingEngagement';
          p.channelIndex = nextIndex;
          p.deliveryId = r.deliveryId;
          p.runAt = now + p.response.channels.fallbackAfterMs;
        } else {
          pending.splice(pending.indexOf(p), 1);
        }
        return;
      } catch (err) {
        if (isCancellation(err)) throw err;
        log.warn('delivery failed', { matchId: p.matchId, channel, error: String(err) });
        attribute({
          matchId: p.matchId,
          triggerId: p.triggerId,
          triggerVersion: p.version,
          kind: 'failed',
          channel,
          reason: String(err).slice(0, 500),
          at: now,
        });
        remember({
          matchId: p.matchId,
          triggerId: p.triggerId,
          at: iso(now),
          status: 'failed',
          reason: String(err).slice(0, 200),
          channel,
        });
        const nextIndex = order.indexOf(channel) + 1;
        if (!fallback || nextIndex >= order.length) {
          pending.splice(pending.indexOf(p), 1);
          return;
        }
        p.channelIndex = nextIndex;
      }
    }
  }

  function onEventForResponses(e: EventLite): void {
    for (const p of [...pending]) {
      const hit = p.response.exitOn?.find((a) => atomMatches(a, e));
      if (hit && e.receivedAt >= p.matchedAt) finish(p, 'cancelled', `exitOn:${e.name}`, 'cancelled');
    }
    for (const c of [...conversions]) {
      if (Date.now() >= c.until) {
        conversions.splice(conversions.indexOf(c), 1);
        continue;
      }
      if (!atomMatches(c.event, e)) continue;
      conversions.splice(conversions.indexOf(c), 1);
      const raw = c.valuePath
        ? c.valuePath
            .split('.')
            .reduce<unknown>(
              (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
              e,
            )
        : undefined;
      attribute({
        matchId: c.matchId,
        triggerId: c.triggerId,
        triggerVersion: c.version,
        kind: 'conversion',
        value: typeof raw === 'number' ? raw : null,
        at: e.receivedAt,
        details: { eventId: e.id },
      });
    }
  }

  // ---- search attributes and details, upserted only when they change ----
  let lastAttrs = '';
  function publish(): void {
    const active = [
      ...new Set([...eng.partials().map((p) => p.triggerId), ...pending.map((p) => p.triggerId)]),
    ].sort();
    stage =
      escalations.length > 0
        ? 'escalated'
        : pending.length > 0
          ? 'waiting'
          : active.length > 0
            ? 'watching'
            : 'idle';
    // LastEventAt moves in whole minutes so a stream of events does not add an upsert per event.
    const lastMinute = lastEventAt === null ? null : Math.floor(lastEventAt / 60_000) * 60_000;
    const attrs = { stage, active, lastTrigger, lastMinute, pending: pending.length };
    const json = JSON.stringify(attrs);
    if (json === lastAttrs) return;
    lastAttrs = json;
    upsertSearchAttributes([
      { key: { name: 'CustomerId', type: 'KEYWORD' }, value: customerId },
      { key: { name: 'JourneyStage', type: 'KEYWORD' }, value: stage },
      { key: { name: 'ActiveTriggers', type: 'KEYWORD_LIST' }, value: active },
      { key: { name: 'PendingResponses', type: 'INT' }, value: pending.length },
      ...(lastTrigger !== null
        ? [{ key: { name: 'LastTrigger', type: 'KEYWORD' as const }, value: lastTrigger }]
        : []),
      ...(lastMinute !== null
        ? [{ key: { name: 'LastEventAt', type: 'DATETIME' as const }, value: new Date(lastMinute) }]
        : []),
    ]);
    setCurrentDetails(
      [
        `**Customer** ${customerId} — stage **${stage}**`,
        `Active triggers: ${active.length ? active.join(', ') : 'none'}`,
        `Pending responses: ${pending.map((p) => `${p.triggerId} at ${iso(p.runAt)}`).join('; ') || 'none'}`,
        `Open escalations: ${escalations.map((e) => `${e.triggerId} (level ${e.level}, SLA ${iso(e.deadline)})`).join('; ') || 'none'}`,
        `Last trigger: ${lastTrigger ?? 'none'}; events ${counters.events}, duplicates ${counters.duplicates}, late ${counters.late}`,
      ].join('\n'),
    );
  }

  function shouldContinueAsNew(): boolean {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength >= defs.settings.historyBound;
  }

  const carry = (): CarriedStateV1 => ({
    v: 1,
    defs,
    engine: eng.snapshot(),
    seen,
    counters,
    recent,
    store,
    pending,
    escalations,
    conversions,
    history,
    sent,
    engagements,
    lastTrigger,
    lastEventAt,
    profile,
    profileStale,
    inbox,
    exits,
    acks,
    feedbacks,
    runs: (prior?.runs ?? 0) + 1,
  });

  // ---- main loop ----
  let spins = 0;
  for (;;) {
    // Journey v2 takes over at this run's next workflow task on a v2 worker (mid-delay too):
    // the state, with whatever signals arrived, continues as new onto the v2 code. Recorded v1
    // histories have no marker here, so they replay down the v1 path.
    if (takeover !== null && patched('journey-v2-takeover')) {
      await condition(allHandlersFinished);
      await takeover(customerId, carry());
    }
    // Apply exits, acks and feedback first: they may cancel what is due now.
    for (const x of exits.splice(0)) {
      for (const p of [...pending]) finish(p, 'cancelled', `exit: ${x.reason}`, 'exit');
    }
    for (const a of acks.splice(0)) {
      const e = escalations.find((x) => x.id === a.escalationId);
      if (!e) continue;
      escalations.splice(escalations.indexOf(e), 1);
      await resolveEscalation({
        escalationId: e.id,
        status: 'acked',
        by: a.by,
        outcome: a.outcome,
        at: a.at,
      });
      remember({
        matchId: e.matchId,
        triggerId: e.triggerId,
        at: iso(Date.now()),
        status: 'acknowledged',
        reason: `${a.outcome} by ${a.by}`,
        channel: `escalation-${e.level}`,
      });
    }
    for (const f of feedbacks.splice(0)) {
      if (f.type === 'opened' || f.type === 'clicked') {
        engagements.push(f.at);
        cap(engagements, ENGAGEMENT_CAPACITY);
      }
      const p = pending.find((x) => x.deliveryId === f.deliveryId && x.state === 'awaitingEngagement');
      if (!p) continue;
      if (
        f.type === 'opened' ||
        f.type === 'clicked' ||
        f.type === 'unsubscribed' ||
        f.type === 'complained'
      ) {
        pending.splice(pending.indexOf(p), 1);
        if (f.type === 'opened' || f.type === 'clicked')
          attribute({
            matchId: p.matchId,
            triggerId: p.triggerId,
            triggerVersion: p.version,
            kind: 'engaged',
            reason: f.type,
            at: f.at,
          });
      } else if (f.type === 'bounced') p.runAt = Date.now();
    }
    if (profileStale && profile !== null) profile = null;

    // Events, in batches: recorded durably, then fed to the matcher in arrival order.
    while (inbox.length > 0) {
      const batch = inbox.splice(0, BATCH);
      stage = 'processing';
      await recordEvents(
        batch.map((e) => ({
          customerId: e.customerId,
          eventId: e.id,
          name: e.name,
          ts: e.ts,
          receivedAt: e.receivedAt,
          workflowId,
          properties: e.properties,
        })),
      );
      for (const e of batch) {
        // A gateway clock ahead of this worker's would postpone deadlines: clamp to workflow time.
        const receivedAt = Math.min(e.receivedAt, Date.now());
        const ev = lite({ ...e, receivedAt });
        store.push(ev);
        cap(store, STORE_CAPACITY);
        onEventForResponses(ev);
        const outputs = [];
        for (let w = eng.nextWakeup(); w !== null && w < receivedAt; w = eng.nextWakeup())
          outputs.push(...eng.advanceTo(w));
        outputs.push(
          ...eng.ingest({ id: e.id, name: e.name, ts: e.ts, receivedAt, properties: e.properties }),
        );
        let duplicate = false;
        for (const o of outputs) {
          if (o.type === 'match') await onMatch(o);
          else if (o.type === 'late') counters.late += 1;
          else if (o.type === 'duplicate' && o.eventId === e.id) duplicate = true;
        }
        if (duplicate) {
          counters.duplicates += 1;
          continue;
        }
        counters.events += 1;
        lastEventAt = e.receivedAt;
        recent.push({ id: e.id, name: e.name, occurredAt: iso(e.ts) });
        cap(recent, defs.settings.recentLimit);
      }
    }

    // Deadlines of the matcher (absences, inactivity, buffered releases).
    const now = Date.now();
    const wake = eng.nextWakeup();
    if (wake !== null && wake <= now)
      for (const o of eng.advanceTo(now)) if (o.type === 'match') await onMatch(o);

    // Due responses, highest priority first so the minimum gap favours it.
    const due = pending
      .filter((p) => p.runAt <= now)
      .sort((a, b) => b.priority - a.priority || a.runAt - b.runAt || (a.matchId < b.matchId ? -1 : 1));
    for (const p of due) if (pending.includes(p)) await runDue(p);

    // Escalations past their SLA go to `then`, once.
    for (const e of escalations.filter((x) => x.deadline <= now)) {
      escalations.splice(escalations.indexOf(e), 1);
      await resolveEscalation({ escalationId: e.id, status: 'expired', at: now });
      remember({
        matchId: e.matchId,
        triggerId: e.triggerId,
        at: iso(now),
        status: 'expired',
        reason: 'SLA passed without ack',
        channel: `escalation-${e.level}`,
      });
      if (e.then !== null)
        await startEscalation(e.matchId, e.triggerId, e.version, e.level + 1, e.then, null, e.slaMs);
    }
    while (conversions.length > 0 && conversions[0] !== undefined && conversions[0].until <= now)
      conversions.shift();

    if (attribution.length > 0) await logAttribution(attribution.splice(0));
    publish();

    const next = Math.min(
      eng.nextWakeup() ?? Infinity,
      ...pending.map((p) => p.runAt),
      ...escalations.map((e) => e.deadline),
    );
    if (next !== Infinity) {
      // Something became due while we worked: go round again (bounded, so a bug cannot spin).
      if (next <= Date.now() && ++spins < 100) continue;
      armTimer(Math.max(next, Date.now() + 1));
    }
    spins = 0;

    if (shouldContinueAsNew()) {
      await condition(allHandlersFinished);
      // Whatever arrived meanwhile is carried: nothing is lost across the boundary.
      await continueAsNew<(input: JourneyInput) => Promise<void>>({ v: 1, customerId, carried: carry() });
    }

    await condition(
      () => inbox.length > 0 || exits.length > 0 || acks.length > 0 || feedbacks.length > 0 || timerFired,
    );
    timerFired = false;
  }
}

/** Channels this profile can receive: consent not withdrawn and an address known (webhooks always). */
function reachable(p: Profile): ChannelName[] {
  const out: ChannelName[] = ['webhook'];
  if (p.consent?.email !== false && p.email) out.push('email');
  if (p.consent?.sms !== false && p.phone) out.push('sms');
  if (p.consent?.push !== false && p.pushTokens && p.pushTokens.length > 0) out.push('push');
  return out;
}
