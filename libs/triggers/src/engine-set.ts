// Per trigger array: the compiled set and its derived runtime tables, shared by the engines of
// every customer (runtime only, never saved).
import { compileSet, type CompiledSet, type NameInfo } from './compile';
import type { ResolvedConfig } from './engine-config';
import { TriggerError } from './errors';
import { computeStateBound, STATE_BUDGET_BYTES } from './state-bound';
import type { Trigger } from './trigger.schema';

const compiledCache = new WeakMap<readonly Trigger[], CompiledSet>();
const byNameCache = new WeakMap<CompiledSet, Map<string, NameInfo>>();

/** `set.byName` as a Map (shared by a set's engines): an event name is looked up per event. */
export function byNameOf(set: CompiledSet): Map<string, NameInfo> {
  let hit = byNameCache.get(set);
  if (hit === undefined) {
    hit = new Map(Object.entries(set.byName));
    byNameCache.set(set, hit);
  }
  return hit;
}

export type AsIndex = Record<string, { step: number; atoms: number[] }>[];
const asIndexCache = new WeakMap<CompiledSet, AsIndex>();

/** Per trigger: `as` name -> the step and atoms bound under it (shared by a set's engines). */
export function asIndexOf(set: CompiledSet): AsIndex {
  let hit = asIndexCache.get(set);
  if (hit === undefined) {
    hit = set.triggers.map((t) => {
      const idx = Object.create(null) as Record<string, { step: number; atoms: number[] }>;
      for (const b of t.bindingKeys) idx[b.key] = { step: b.step, atoms: b.atoms };
      return idx;
    });
    asIndexCache.set(set, hit);
  }
  return hit;
}
const boundCache = new WeakMap<CompiledSet, Record<string, ReturnType<typeof computeStateBound>>>();

/**
 * The compiled form of `triggers` (cached per array) after the state budget check.
 * @throws TriggerError `STATE_BUDGET_EXCEEDED` when the set's static state bound exceeds the budget.
 */
export function compiledSetFor(triggers: readonly Trigger[], cfg: ResolvedConfig): CompiledSet {
  // One compiled set per trigger array: 10,000 customers' engines share it (runtime only).
  let set = compiledCache.get(triggers);
  if (set === undefined) {
    set = compileSet(triggers);
    compiledCache.set(triggers, set);
  }
  const cfgKey = JSON.stringify(cfg);
  let bounds = boundCache.get(set);
  if (bounds === undefined) {
    bounds = {};
    boundCache.set(set, bounds);
  }
  const bound = bounds[cfgKey] ?? computeStateBound(set, cfg);
  bounds[cfgKey] = bound;
  if (bound.total > STATE_BUDGET_BYTES) {
    throw new TriggerError(
      'STATE_BUDGET_EXCEEDED',
      `the trigger set may need ${bound.total} bytes of state per customer, over the budget of ${STATE_BUDGET_BYTES}: lower limits.maxKeys / limits.maxPartialsPerKey of the largest triggers (${bound.largest.join(', ')})`,
    );
  }
  return set;
}
