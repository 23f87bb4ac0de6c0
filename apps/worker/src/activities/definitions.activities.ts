import { createHash } from 'node:crypto';
import {
  DefinitionSetSchema,
  type DefinitionSet,
  type EngineConfigInput,
  type PolicyInput,
  type TriggerInput,
} from '@kairos/triggers';

/** Trigger definitions as loaded from KAIROS_TRIGGERS_DIR (or given inline by tests). */
export type LoadedDefinitions = {
  triggers: readonly TriggerInput[];
  /** policy.json; null = the defaults of docs/triggers.md §6. */
  policy: PolicyInput | null;
  templates: Record<string, string>;
  engineConfig?: EngineConfigInput;
};

/** One version of the definitions journeys run on, identified by the hash of its content. */
export type DefinitionsVersion = { hash: string; set: DefinitionSet };

/** The content hash of a definition set: equal hashes mean nothing a journey reads changed. */
export function hashDefinitionSet(set: DefinitionSet): string {
  return createHash('sha256').update(JSON.stringify(set)).digest('hex').slice(0, 16);
}

/**
 * Validates loaded definitions into the set journeys run on (enabled triggers only, policy
 * defaults applied, fields in schema order so the hash does not depend on how a file was written).
 */
export function toDefinitionsVersion(loaded: LoadedDefinitions): DefinitionsVersion {
  const set = DefinitionSetSchema.parse({
    triggers: loaded.triggers.filter((t) => t.enabled !== false),
    policy: loaded.policy ?? {},
    ...(loaded.engineConfig !== undefined ? { engineConfig: loaded.engineConfig } : {}),
  });
  return { hash: hashDefinitionSet(set), set };
}

/** What a journey's first run (and each continue-as-new) reads: the version to run on, and the history bound. */
export type CurrentDefinitions = { hash: string; historyBound: number };

/** Names the definitions the worker loaded at start (the workflow calls it as a local activity). */
export function createDefinitionsActivities(deps: {
  current: () => DefinitionsVersion;
  historyBound: number;
}) {
  return {
    async currentDefinitions(): Promise<CurrentDefinitions> {
      return { hash: deps.current().hash, historyBound: deps.historyBound };
    },
  };
}

export type DefinitionsActivities = ReturnType<typeof createDefinitionsActivities>;
