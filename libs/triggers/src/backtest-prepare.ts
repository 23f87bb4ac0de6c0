import { BacktestJobSpecSchema } from './backtest.schema';
import { compileSet } from './compile';
import type { BacktestSpec } from './backtest-run';
import type { EngineConfigInput } from './engine-config.schema';
import { PolicySchema, type Policy } from './policy.schema';
import type { Trigger } from './trigger.schema';
import { validateTriggerSet } from './trigger-set';

/** What a runner needs from a stored job spec. */
export type PreparedBacktest = {
  spec: BacktestSpec;
  customers?: string[];
  sample?: number;
  policy: Policy | null;
  /** The top-level property keys the triggers read (null: they read whole `properties`). */
  keys: string[] | null;
};

/** Parses and validates a stored spec; throws with every error when it cannot run. */
export function prepareBacktest(stored: unknown): PreparedBacktest {
  const s = BacktestJobSpecSchema.parse(stored);
  const config = s.engine as EngineConfigInput | undefined;
  const v = validateTriggerSet(s.triggers, config);
  if (!v.ok)
    throw new Error(`invalid definitions: ${v.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return {
    spec: { triggers: v.triggers, ...(config ? { config } : {}), from: s.from, to: s.to },
    ...(s.customers ? { customers: s.customers } : {}),
    ...(s.sample !== undefined ? { sample: s.sample } : {}),
    policy: s.policy == null ? null : PolicySchema.parse(s.policy),
    keys: propertyKeysRead(v.triggers),
  };
}

/**
 * The top-level keys of `properties` any path of the triggers starts with, sorted; null when a
 * path reads `properties` whole. A reader that fetches only these keys gives the matcher the
 * same values as the whole object (docs/api.md §11: this is what makes backtests fast).
 */
export function propertyKeysRead(triggers: readonly Trigger[]): string[] | null {
  const keys = new Set<string>();
  for (const info of Object.values(compileSet(triggers).byName))
    for (const segs of [...info.leafSegs, ...info.vpSegs]) {
      if (segs[0] !== 'properties') continue;
      if (segs[1] === undefined) return null;
      keys.add(segs[1]);
    }
  return [...keys].sort();
}
