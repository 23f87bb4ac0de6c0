// The matcher's resolved configuration: docs/triggers.md §2.6 defaults applied, durations in ms.
import { parseDuration } from './duration';
import { EngineConfigSchema, type EngineConfig, type EngineConfigInput } from './engine-config.schema';
import { TriggerError } from './errors';
import { issuesToErrors } from './validate';

/** Engine configuration with durations in milliseconds and every default applied. */
export type ResolvedConfig = {
  basis: 'arrival' | 'event';
  allowedLateness: number;
  maxFutureSkew: number;
  dedupeCapacity: number;
  dedupeHorizon: number;
  bufferMax: number;
  arbitration: 'immediate' | 'ranked';
  rankWindow: number;
};

const configCache: Record<string, ResolvedConfig> = {};
let configCacheSize = 0;

/** Applies defaults to a partial config and converts durations. */
export function resolveEngineConfig(input?: EngineConfigInput | EngineConfig): ResolvedConfig {
  const key = JSON.stringify(input ?? {});
  const hit = configCache[key];
  if (hit) return { ...hit };
  const resolved = resolveUncached(input);
  // A handful of configs exist per process; the cap only guards against misuse.
  if (configCacheSize < 64) {
    configCache[key] = resolved;
    configCacheSize++;
  }
  return { ...resolved };
}

function resolveUncached(input?: EngineConfigInput | EngineConfig): ResolvedConfig {
  const r = EngineConfigSchema.safeParse(input ?? {});
  if (!r.success) {
    const errors = issuesToErrors(r.error.issues);
    throw new TriggerError(
      'INVALID_ENGINE_CONFIG',
      `engine config is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      errors,
    );
  }
  const c = r.data;
  const allowedLateness = parseDuration(c.time.allowedLateness);
  return {
    basis: c.time.basis,
    allowedLateness,
    maxFutureSkew: parseDuration(c.time.maxFutureSkew),
    dedupeCapacity: c.dedupe.capacity,
    dedupeHorizon:
      c.dedupe.horizon === undefined
        ? Math.max(86_400_000, allowedLateness)
        : parseDuration(c.dedupe.horizon),
    bufferMax: c.buffer.maxEvents,
    arbitration: c.arbitration.mode,
    rankWindow: c.arbitration.rankWindow === undefined ? 0 : parseDuration(c.arbitration.rankWindow),
  };
}
