import { DefinitionSetSchema, type DefinitionSet } from './definition-set.schema';
import type { EngineConfigInput } from './engine-config.schema';
import { sha256Hex } from './hash';
import type { PolicyInput } from './policy.schema';
import type { TriggerInput } from './trigger.schema';

/** What a definitions folder holds, as loaded (templates left out: journeys never read them). */
export type DefinitionsInput = {
  triggers: readonly TriggerInput[];
  /** policy.json; null = the defaults of docs/triggers.md §6. */
  policy: PolicyInput | null;
  engineConfig?: EngineConfigInput;
};

/**
 * The set journeys run on: enabled triggers only, policy defaults applied, fields in schema order
 * (so the hash does not depend on how a file was written).
 */
export function toDefinitionSet(loaded: DefinitionsInput): DefinitionSet {
  return DefinitionSetSchema.parse({
    triggers: loaded.triggers.filter((t) => t.enabled !== false),
    policy: loaded.policy ?? {},
    ...(loaded.engineConfig !== undefined ? { engineConfig: loaded.engineConfig } : {}),
  });
}

/**
 * The content hash of a definition set (16 hex digits of SHA-256 over its JSON): the version id
 * journeys carry, and what the gateway compares with the workers' (equal = same definitions).
 */
export function hashDefinitionSet(set: DefinitionSet): string {
  return sha256Hex(JSON.stringify(set)).slice(0, 16);
}
