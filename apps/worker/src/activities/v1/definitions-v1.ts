// FROZEN with the v1 journey: the definitions in the normalised form v1 runs load and carry
// (durations in ms, a copy of each raw trigger). Deleted together with workflows/v1.
import { createHash } from 'node:crypto';
import { parseDuration, type DefinitionSet, type Delay, type Response } from '@kairos/triggers';
import type {
  DelayDef,
  Definitions,
  PolicyDef,
  ResponseDef,
  TriggerDef,
} from '../../workflows/v1/journey-v1-types';

/** A v1 delay (durations in ms) from a delay as written. */
export function delayV1(d: Delay | undefined): DelayDef {
  if (!d) return { type: 'none' };
  switch (d.type) {
    case 'none':
      return d;
    case 'fixed':
      return { type: 'fixed', durationMs: parseDuration(d.duration) };
    case 'localTime':
      return d.days ? { type: 'localTime', at: d.at, days: d.days } : { type: 'localTime', at: d.at };
    case 'optimal':
      return { type: 'optimal', fallback: d.fallback, withinMs: parseDuration(d.within) };
  }
}

function responseV1(r: Response): ResponseDef {
  const out: ResponseDef = {
    delay: delayV1(r.delay),
    channels: {
      order: r.channels.order,
      strategy:
        r.channels.strategy ?? (r.channels.fallbackAfter !== undefined ? 'fallback' : 'first-available'),
      ...(r.channels.fallbackAfter !== undefined
        ? { fallbackAfterMs: parseDuration(r.channels.fallbackAfter) }
        : {}),
    },
    template: r.template,
    policy: { quietHours: r.policy?.quietHours ?? 'respect', caps: r.policy?.caps ?? 'respect' },
  };
  if (r.experiment) {
    out.experiment = {
      variants: r.experiment.variants.map((v) => ({ id: v.id, weight: v.weight, delay: delayV1(v.delay) })),
      ...(r.experiment.holdout !== undefined ? { holdout: r.experiment.holdout } : {}),
    };
  }
  if (r.exitOn) out.exitOn = r.exitOn;
  if (r.escalate)
    out.escalate = {
      when: r.escalate.when,
      to: r.escalate.to,
      slaMs: parseDuration(r.escalate.sla),
      ...(r.escalate.then ? { then: r.escalate.then } : {}),
    };
  if (r.conversion)
    out.conversion = {
      event: r.conversion.event,
      windowMs: parseDuration(r.conversion.window),
      ...(r.conversion.valuePath ? { valuePath: r.conversion.valuePath } : {}),
    };
  return out;
}

/** The v1 form (durations in ms) of a validated definition set, with its content hash. */
export function toDefinitionsV1(set: DefinitionSet, settings: Definitions['settings']): Definitions {
  const triggers: TriggerDef[] = set.triggers.map((t) => ({
    id: t.id,
    version: t.version,
    priority: t.priority ?? 0,
    definition: t,
    response: t.response ? responseV1(t.response) : null,
  }));
  const { quietHours, caps, minGap } = set.policy;
  const policy: PolicyDef = { quietHours, caps, minGapMs: parseDuration(minGap) };
  const engineConfig = set.engineConfig;
  const hash = createHash('sha256')
    .update(JSON.stringify({ triggers, policy, engineConfig: engineConfig ?? null }))
    .digest('hex')
    .slice(0, 16);
  return {
    hash,
    triggers,
    policy,
    ...(engineConfig !== undefined ? { engineConfig } : {}),
    settings,
  };
}
