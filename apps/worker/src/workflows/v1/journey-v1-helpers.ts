// FROZEN with the v1 journey: its pure helpers (sandbox-safe: no Node, no clock, no randomness).
import { evaluatePred } from '@kairos/triggers';
import type { AtomDef, EventLite, ResponseDef } from './journey-v1-types';

/** FNV-1a 32-bit of a string as a fraction in [0, 1): stable across runs, machines and replays. */
export function hashFraction(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 0x100000000;
}

export type Assignment =
  { kind: 'holdout' } | { kind: 'variant'; id: string; delay: ResponseDef['delay'] } | { kind: 'none' };

/**
 * Sticky experiment assignment by hash of customer and trigger: the same customer always lands
 * in the same arm of a trigger's experiment, whatever the match, run or worker.
 */
export function assignVariant(customerId: string, triggerId: string, response: ResponseDef): Assignment {
  const exp = response.experiment;
  if (!exp) return { kind: 'none' };
  if (
    exp.holdout !== undefined &&
    exp.holdout > 0 &&
    hashFraction(`holdout|${customerId}|${triggerId}`) < exp.holdout
  )
    return { kind: 'holdout' };
  const total = exp.variants.reduce((s, v) => s + v.weight, 0);
  let x = hashFraction(`variant|${customerId}|${triggerId}`) * total;
  for (const v of exp.variants) {
    if (x < v.weight) return { kind: 'variant', id: v.id, delay: v.delay };
    x -= v.weight;
  }
  const last = exp.variants[exp.variants.length - 1];
  return last ? { kind: 'variant', id: last.id, delay: last.delay } : { kind: 'none' };
}

/** Whether an event is an occurrence of an atom (name and `where`). */
export function atomMatches(atom: AtomDef, event: EventLite): boolean {
  if (atom.name !== event.name) return false;
  return (
    atom.where === undefined || evaluatePred(atom.where, { name: event.name, properties: event.properties })
  );
}

const MAX_STORED_PROPERTIES = 4096;

/** Keeps an event's properties for personalisation unless they are large (then a marker). */
export function lite(event: {
  id: string;
  name: string;
  ts: number;
  receivedAt: number;
  properties: Record<string, unknown>;
}): EventLite {
  const json = JSON.stringify(event.properties);
  return {
    id: event.id,
    name: event.name,
    ts: event.ts,
    receivedAt: event.receivedAt,
    properties: json.length <= MAX_STORED_PROPERTIES ? event.properties : { _truncated: true },
  };
}
