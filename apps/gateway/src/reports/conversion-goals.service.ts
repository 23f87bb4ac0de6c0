import fs from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import { parseDuration, type Delay, type Trigger } from '@kairos/triggers';
import { loadTriggerDir } from '@kairos/triggers/node';
import type { ConversionGoal } from '@kairos/persistence';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';

/** What the reports need of one trigger definition. */
export type TriggerMeasures = {
  triggerId: string;
  goal: ConversionGoal | null;
  /** Experiment arms: variant id -> a readable delay ("none", "fixed 2h", "localTime 10:00"). */
  variants: Record<string, string>;
  holdout: number;
};

export function describeDelay(delay: Delay | undefined): string {
  if (!delay || delay.type === 'none') return 'none';
  switch (delay.type) {
    case 'fixed':
      return `fixed ${String(delay.duration)}`;
    case 'localTime':
      return `localTime ${delay.at}${delay.days ? ` ${delay.days.join(',')}` : ''}`;
    case 'optimal':
      return `optimal within ${String(delay.within)} (fallback ${delay.fallback})`;
  }
}

/** The conversion goal of a definition: `properties.x.y` value paths are read from event properties. */
export function measuresOf(t: Trigger): TriggerMeasures {
  const c = t.response?.conversion;
  const path = c?.valuePath?.split('.') ?? null;
  const goal: ConversionGoal | null = c
    ? {
        triggerId: t.id,
        eventName: c.event.name,
        windowMs: parseDuration(c.window),
        valuePath: path && path[0] === 'properties' && path.length > 1 ? path.slice(1) : null,
      }
    : null;
  const variants: Record<string, string> = {};
  for (const v of t.response?.experiment?.variants ?? []) variants[v.id] = describeDelay(v.delay);
  return { triggerId: t.id, goal, variants, holdout: t.response?.experiment?.holdout ?? 0 };
}

/**
 * Conversion goals and experiment arms of the loaded trigger definitions (KAIROS_TRIGGERS_DIR,
 * read with the same loader as the worker). Read once at start, like the rest of the gateway.
 */
@Injectable()
export class ConversionGoalsService {
  private measures: Map<string, TriggerMeasures>;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    this.measures = this.load();
  }

  private load(): Map<string, TriggerMeasures> {
    const dir = this.config.triggersDir;
    if (!fs.existsSync(dir)) return new Map();
    return new Map(loadTriggerDir(dir).triggers.map((t) => [t.id, measuresOf(t)]));
  }

  goals(): ConversionGoal[] {
    return [...this.measures.values()].flatMap((m) => (m.goal ? [m.goal] : []));
  }

  of(triggerId: string): TriggerMeasures | undefined {
    return this.measures.get(triggerId);
  }

  /** Replaces the definitions (tests measure triggers of their own). */
  set(triggers: readonly Trigger[]): void {
    this.measures = new Map(triggers.map((t) => [t.id, measuresOf(t)]));
  }
}
