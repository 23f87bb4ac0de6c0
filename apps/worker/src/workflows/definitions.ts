// The trigger definitions a run works with, and the matcher built on them. Definitions are not
// recorded in history: a journey carries the content hash of its version, compiled into the
// workflow bundle by the worker (definitions-registry.ts).
import { createEngine, type DefinitionSet, type Engine, type PartialMatchView } from '@kairos/triggers';
import { definitionSet } from './definitions-registry';
import { currentDefinitions } from './journey-activities';
import { journeyTraceOptions } from './journey-trace';
import type { CarriedDefinitions, JourneyState } from './journey-state';

export type OpenedDefinitions = { definitions: CarriedDefinitions; set: DefinitionSet; engine: Engine };

/**
 * The definitions of this run. At the start of every run a tiny local activity names the worker's
 * current version (so the choice is recorded, ~100 bytes): a journey's first run takes it; a later
 * run moves to it unless a partial match of a trigger it changes is open (a match keeps the
 * version it started with; checked again at the next continue-as-new). Nothing is awaited at
 * continue-as-new itself: under a constant stream of signals it must complete at once.
 */
export async function openDefinitions(state: JourneyState): Promise<OpenedDefinitions> {
  const current = await currentDefinitions();
  state.historyBound = current.historyBound;
  const carried = state.definitions;
  let definitions: CarriedDefinitions = carried ?? { hash: current.hash };
  if (carried !== null && carried.hash !== current.hash) {
    const set = carried.inline ?? definitionSet(carried.hash);
    const open =
      state.engine === null ? [] : createEngine(set.triggers, set.engineConfig, state.engine).partials();
    if (!changesOpenPartial(open, set, definitionSet(current.hash))) definitions = { hash: current.hash };
  }
  state.definitions = definitions;
  const set = definitions.inline ?? definitionSet(definitions.hash);
  const engine = createEngine(
    set.triggers,
    set.engineConfig,
    state.engine ?? undefined,
    journeyTraceOptions(state),
  );
  return { definitions, set, engine };
}

/** Whether `next` changes (or drops) the trigger of one of the open partial matches. */
export function changesOpenPartial(
  partials: PartialMatchView[],
  current: DefinitionSet,
  next: DefinitionSet,
): boolean {
  const version = (set: DefinitionSet, id: string) => set.triggers.find((t) => t.id === id)?.version;
  return partials.some((p) => version(next, p.triggerId) !== version(current, p.triggerId));
}
