// The v1 -> v2 takeover: a v1 run's carried state in the v2 shape (durations as written instead
// of ms, definitions as a validated set), and the continue-as-new that starts v2 on it. Nothing
// the v1 run carries is dropped: pending responses, partial matches, inbox, escalations, ...
// Deleted together with the v1 code.
import { continueAsNew } from '@temporalio/workflow';
import type { JourneyInput } from '@kairos/contracts';
import { AtomSchema, DefinitionSetSchema, ResponseSchema, type Delay, type Response } from '@kairos/triggers';
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
    engine: v1.engine,
    seen: v1.seen,
    counters: v1.counters,
    recent: v1.recent,
    store: v1.store,
    pending: v1.pending.map(pendingFromV1),
    escalations: v1.escalations,
    conversions: v1.conversions.map(({ event, ...c }) => ({ ...c, event: AtomSchema.parse(event) })),
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
    runs: v1.runs,
  };
}

/** The definitions a v1 run carries, as a validated set (the v2 run moves to the current set unless a changed partial is open). */
function definitionsFromV1(defs: Definitions): JourneyState['definitions'] {
  const set = DefinitionSetSchema.parse({
    triggers: defs.triggers.map((t) => t.definition),
    policy: { quietHours: defs.policy.quietHours, caps: defs.policy.caps, minGap: defs.policy.minGapMs },
    ...(defs.engineConfig !== undefined ? { engineConfig: defs.engineConfig } : {}),
  });
  return { hash: `v1:${defs.hash}`, set };
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

/** A v1 response (durations in ms) as written: ms are valid durations. */
function responseFromV1(r: ResponseDef): Response {
  const { fallbackAfterMs, ...channels } = r.channels;
  return ResponseSchema.parse({
    delay: delayFromV1(r.delay),
    ...(r.experiment
      ? {
          experiment: {
            variants: r.experiment.variants.map((v) => ({ ...v, delay: delayFromV1(v.delay) })),
            ...(r.experiment.holdout !== undefined ? { holdout: r.experiment.holdout } : {}),
          },
        }
      : {}),
    channels: { ...channels, ...(fallbackAfterMs !== undefined ? { fallbackAfter: fallbackAfterMs } : {}) },
    template: r.template,
    ...(r.exitOn ? { exitOn: r.exitOn } : {}),
    policy: r.policy,
    ...(r.escalate
      ? {
          escalate: {
            when: r.escalate.when,
            to: r.escalate.to,
            sla: r.escalate.slaMs,
            ...(r.escalate.then ? { then: r.escalate.then } : {}),
          },
        }
      : {}),
    ...(r.conversion
      ? {
          conversion: {
            event: r.conversion.event,
            window: r.conversion.windowMs,
            ...(r.conversion.valuePath ? { valuePath: r.conversion.valuePath } : {}),
          },
        }
      : {}),
  });
}
