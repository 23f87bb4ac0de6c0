// The definition versions compiled into this workflow bundle by the worker (webpack DefinePlugin,
// apps/worker/src/definitions/definitions-registry.ts). Without it (a bundle built without the
// hook, or the typecheck) the registry is empty: v1 histories replay, v2 journeys cannot run.
import type { DefinitionSet, DefinitionsRegistry } from '@kairos/triggers';

declare const __KAIROS_DEFINITIONS__: DefinitionsRegistry;

const REGISTRY: DefinitionsRegistry =
  typeof __KAIROS_DEFINITIONS__ === 'undefined' ? { versions: {} } : __KAIROS_DEFINITIONS__;

/**
 * The definition set of a hash. An unknown hash fails the workflow task (not the journey): a
 * worker whose bundle holds the version can take it, and this one keeps retrying it.
 */
export function definitionSet(hash: string): DefinitionSet {
  const set = REGISTRY.versions[hash];
  if (set === undefined)
    throw new Error(
      `KAIROS_DEFINITIONS_UNKNOWN: this worker's workflow bundle has no definition version ${hash} (it has ${Object.keys(REGISTRY.versions).join(', ') || 'none'}); run a worker that loaded it, or restore it in the definition_versions table`,
    );
  return set;
}

/** Every definition set of the bundle (compiled once per worker thread by preload.ts). */
export function registeredDefinitionSets(): DefinitionSet[] {
  return Object.values(REGISTRY.versions);
}
