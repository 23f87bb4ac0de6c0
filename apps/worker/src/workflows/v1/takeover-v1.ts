// The v1 -> v2 takeover: a v1 run's carried state in the v2 shape (durations as written instead
// of ms, definitions as a set), and the continue-as-new that starts v2 on it. Nothing
// the v1 run carries is dropped: pending responses, partial matches, inbox, escalations, ...
// Deleted together with the v1 code.
import { continueAsNew } from '@temporalio/workflow';
import type { JourneyInput } from '@kairos/contracts';
import type { Delay, Response } from '@kairos/triggers';
import { JOURNEY_STATE_VERSION, type JourneyState, type PendingResponse } from '../journey-state';
import type { CarriedStateV1, PendingResponseV1, TakeoverToV2 } from './customer-journey-v1';
import type { DelayDef, Definitions, ResponseDef } from './journey-v1-types';

/** Continues a v1 run as new onto v2 with its state converted. */
export const continueOnV2: TakeoverToV2 = async (customerId, carried) =>
  continueAsNew<(input: JourneyInput) => Promise<void>>({ v: 2, customerId, carried: stateFromV1(carried) });

/** The v2 state of a v1 run. */
export function stateFromV1(v1: CarriedStateV1): JourneyState {
  return {
    v: JOURNEY_STATE_VERSION,
    definitions: definitionsFromV1(v1.defs),
    historyBound: v1.defs.settings.historyBound,
    engine: v1.engine,
    seen: v1.seen,
    counters: v1.counters,
    recent: v1.recent,
    store: v1.store,
    pending: v1.pending.map(pendingFromV1),
    escalations: v1.escalations,
    conversions: v1.conversions,
    history: v1.history,
    sent: v1.sent,
    engagements: v1.engagements,
    lastTrigger: v1.lastTrigger,
    lastEventAt: v1.lastEventAt,
    profile: v1.profile,
    profileStale: v1.profileStale,
    inbox: v1.inbox,
    exits: v1.exits,
    acks: v1.acks,
    feedbacks: v1.feedbacks,
    attribution: [],
    runs: v1.runs,
  };
}

/**
 * The definitions of a v1 run, carried inline: a v1 run's set is in no workflow bundle. The v2
 * run moves to the current version at its own continue-as-new (unless a partial match of a
 * changed trigger is open), and carries only a hash from then on.
 */
function definitionsFromV1(defs: Definitions): JourneyState['definitions'] {
  const { quietHours, caps, minGapMs } = defs.policy;
  return {
    hash: `v1:${defs.hash}`,
    inline: {
      triggers: defs.triggers.map((t) => t.definition),
      policy: { quietHours, caps, minGap: minGapMs, gapWinner: 'priority' },
      ...(defs.engineConfig !== undefined ? { engineConfig: defs.engineConfig } : {}),
    },
  };
}

function pendingFromV1(p: PendingResponseV1): PendingResponse {
  return { ...p, response: responseFromV1(p.response) };
}

function delayFromV1(d: DelayDef): Delay {
  switch (d.type) {
    case 'none':
    case 'localTime':
      return d;
    case 'fixed':
      return { type: 'fixed', duration: d.durationMs };
    case 'optimal':
      return { type: 'optimal', fallback: d.fallback, within: d.withinMs };
  }
}

/** A v1 response (durations in ms) as written: ms are valid durations, defaults made explicit. */
function responseFromV1(r: ResponseDef): Response {
  const { fallbackAfterMs, ...channels } = r.channels;
  const out: Response = {
    delay: delayFromV1(r.delay),
    channels: { ...channels, ...(fallbackAfterMs !== undefined ? { fallbackAfter: fallbackAfterMs } : {}) },
    template: r.template,
    policy: r.policy,
  };
  if (r.experiment)
    out.experiment = {
      variants: r.experiment.variants.map((v) => ({ ...v, delay: delayFromV1(v.delay) })),
      ...(r.experiment.holdout !== undefined ? { holdout: r.experiment.holdout } : {}),
    };
  if (r.exitOn) out.exitOn = r.exitOn;
  if (r.escalate) {
    const { slaMs, then, ...escalate } = r.escalate;
    out.escalate = { ...escalate, sla: slaMs, ...(then ? { then } : {}) };
  }
  if (r.conversion) {
    const { windowMs, valuePath, event } = r.conversion;
    out.conversion = { event, window: windowMs, ...(valuePath ? { valuePath } : {}) };
  }
  return out;
}
