// Shared helpers for the engine specs (not exported from the package).
import { createEngine, type Engine } from './engine';
import type { EngineConfigInput } from './engine-config.schema';
import type { MatchEvent, MatchOutput, Output } from './engine.types';
import { replayCustomer } from './replay';
import { TriggerSchema, type Trigger } from './trigger.schema';

export const MIN = 60_000;
export const HOUR = 3_600_000;

/** Shorthand event: id, name, time (ts = receivedAt unless given), properties. */
export function ev(
  id: string,
  name: string,
  t: number,
  properties: Record<string, unknown> = {},
  receivedAt?: number,
): MatchEvent {
  return { id, name, ts: t, receivedAt: receivedAt ?? t, properties };
}

export function trig(t: Record<string, unknown>): Trigger {
  return TriggerSchema.parse({ id: 't', version: 1, ...t });
}

/** Replays events (arrival order) and renders each output compactly. */
export function run(
  triggers: Trigger[],
  events: MatchEvent[],
  config?: EngineConfigInput,
  until?: number,
): string[] {
  const engine = createEngine(triggers, config);
  return replayCustomer(engine, events, until).map((e) => render(e.output));
}

export function render(o: Output): string {
  switch (o.type) {
    case 'match':
      return renderMatch(o);
    case 'late':
      return `late:${o.eventId}`;
    case 'duplicate':
      return `dup:${o.eventId}`;
    case 'rejected':
      return `rejected:${o.eventId}`;
    case 'evicted':
      return `evicted:${o.triggerId}[${o.key}] ${o.what} ${o.eventIds.join(',')}`;
  }
}

export function renderMatch(m: MatchOutput): string {
  const key = m.key === '' ? '' : `[${m.key}]`;
  const st = m.status === 'fired' ? '' : ` suppressed:${m.reason ?? ''}`;
  return `${m.triggerId}${key} ${m.eventIds.join(',')}${m.kind === 'absence' ? ' absence' : ''}@${m.matchedAt}${st}`;
}

export function feed(engine: Engine, events: MatchEvent[]): Output[] {
  return events.flatMap((e) => engine.ingest(e));
}
