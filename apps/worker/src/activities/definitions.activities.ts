import { createHash } from 'node:crypto';
import type {
  AtomDef,
  ChannelName,
  DelayDef,
  Weekday,
  Definitions,
  PolicyDef,
  PredDef,
  ResponseDef,
  TriggerDef,
} from '../workflows/journey-types';

/** Trigger definitions as loaded from KAIROS_TRIGGERS_DIR (validated by libs/triggers). */
export type LoadedDefinitions = {
  triggers: readonly RawTrigger[];
  policy: RawPolicy | null;
  templates: Record<string, string>;
  engineConfig?: unknown;
};

type RawDuration = number | string;
type RawDelay =
  | { type: 'none' }
  | { type: 'fixed'; duration: RawDuration }
  | { type: 'localTime'; at: string; days?: Weekday[] }
  | { type: 'optimal'; fallback: string; within: RawDuration };
type RawResponse = {
  delay?: RawDelay;
  experiment?: { variants: { id: string; weight: number; delay: RawDelay }[]; holdout?: number };
  channels: { order: ChannelName[]; strategy?: 'first-available' | 'fallback'; fallbackAfter?: RawDuration };
  template: string;
  exitOn?: AtomDef[];
  policy?: { quietHours?: 'respect' | 'ignore'; caps?: 'respect' | 'ignore' };
  escalate?: { when: PredDef; to: string; sla: RawDuration; then?: string };
  conversion?: { event: AtomDef; window: RawDuration; valuePath?: string };
};
export type RawTrigger = {
  id: string;
  version: number;
  enabled?: boolean;
  priority?: number;
  response?: RawResponse;
  [k: string]: unknown;
};
export type RawPolicy = {
  quietHours?: { start: string; end: string };
  caps?: Partial<Record<ChannelName, number>>;
  minGap?: RawDuration;
};

export type DefinitionsSettings = Definitions['settings'];

const UNIT: Record<string, number> = { ms: 1, s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5 };

/** Duration text to ms (the language's grammar; definitions were validated when loaded). */
export function durationMs(d: RawDuration): number {
  if (typeof d === 'number') return d;
  const m = /^(\d+)(ms|s|m|h|d|w)$/.exec(d);
  if (!m) throw new Error(`KAIROS_DEFINITIONS: "${d}" is not a duration`);
  return Number(m[1]) * (UNIT[m[2] as string] as number);
}

function delayDef(d: RawDelay | undefined): DelayDef {
  if (!d) return { type: 'none' };
  switch (d.type) {
    case 'none':
      return d;
    case 'fixed':
      return { type: 'fixed', durationMs: durationMs(d.duration) };
    case 'localTime':
      return d.days ? { type: 'localTime', at: d.at, days: d.days } : { type: 'localTime', at: d.at };
    case 'optimal':
      return { type: 'optimal', fallback: d.fallback, withinMs: durationMs(d.within) };
  }
}

function responseDef(r: RawResponse): ResponseDef {
  const out: ResponseDef = {
    delay: delayDef(r.delay),
    channels: {
      order: r.channels.order,
      strategy:
        r.channels.strategy ?? (r.channels.fallbackAfter !== undefined ? 'fallback' : 'first-available'),
      ...(r.channels.fallbackAfter !== undefined
        ? { fallbackAfterMs: durationMs(r.channels.fallbackAfter) }
        : {}),
    },
    template: r.template,
    policy: { quietHours: r.policy?.quietHours ?? 'respect', caps: r.policy?.caps ?? 'respect' },
  };
  if (r.experiment) {
    out.experiment = {
      variants: r.experiment.variants.map((v) => ({ id: v.id, weight: v.weight, delay: delayDef(v.delay) })),
      ...(r.experiment.holdout !== undefined ? { holdout: r.experiment.holdout } : {}),
    };
  }
  if (r.exitOn) out.exitOn = r.exitOn;
  if (r.escalate)
    out.escalate = {
      when: r.escalate.when,
      to: r.escalate.to,
      slaMs: durationMs(r.escalate.sla),
      ...(r.escalate.then ? { then: r.escalate.then } : {}),
    };
  if (r.conversion)
    out.conversion = {
      event: r.conversion.event,
      windowMs: durationMs(r.conversion.window),
      ...(r.conversion.valuePath ? { valuePath: r.conversion.valuePath } : {}),
    };
  return out;
}

const DEFAULT_POLICY: PolicyDef = {
  quietHours: { start: '21:00', end: '08:00' },
  caps: { email: 2, sms: 1, push: 3 },
  minGapMs: 4 * 36e5,
};

/** Normalises loaded definitions into the workflow's form (durations in ms) with a content hash. */
export function toDefinitions(loaded: LoadedDefinitions, settings: DefinitionsSettings): Definitions {
  const triggers: TriggerDef[] = loaded.triggers
    .filter((t) => t.enabled !== false)
    .map((t) => ({
      id: t.id,
      version: t.version,
      priority: t.priority ?? 0,
      definition: t,
      response: t.response ? responseDef(t.response) : null,
    }));
  const p = loaded.policy;
  const policy: PolicyDef = p
    ? {
        quietHours: p.quietHours ?? DEFAULT_POLICY.quietHours,
        caps: p.caps ?? DEFAULT_POLICY.caps,
        minGapMs: p.minGap === undefined ? DEFAULT_POLICY.minGapMs : durationMs(p.minGap),
      }
    : DEFAULT_POLICY;
  const hash = createHash('sha256')
    .update(JSON.stringify({ triggers, policy, engineConfig: loaded.engineConfig ?? null }))
    .digest('hex')
    .slice(0, 16);
  return {
    hash,
    triggers,
    policy,
    ...(loaded.engineConfig !== undefined ? { engineConfig: loaded.engineConfig } : {}),
    settings,
  };
}

/** Serves the definitions the worker loaded at start (the workflow calls it as a local activity). */
export function createDefinitionsActivities(deps: { definitions: () => Definitions }) {
  return {
    async loadDefinitions(): Promise<Definitions> {
      return deps.definitions();
    },
  };
}

export type DefinitionsActivities = ReturnType<typeof createDefinitionsActivities>;
