import {
  hashDefinitionSet,
  toDefinitionSet,
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

/** Validates loaded definitions into the set journeys run on, with its content hash (shared with the gateway). */
export function toDefinitionsVersion(loaded: LoadedDefinitions): DefinitionsVersion {
  const set = toDefinitionSet(loaded);
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
