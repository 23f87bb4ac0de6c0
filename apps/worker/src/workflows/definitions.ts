// The trigger definitions a run works with, and the matcher built on them. Definitions are not
// recorded in history: a journey carries the content hash of its version, compiled into the
// workflow bundle by the worker (definitions-registry.ts).
import { createEngine, type DefinitionSet, type Engine, type PartialMatchView } from '@kairos/triggers';
import { definitionSet } from './definitions-registry';
import { currentDefinitions } from './journey-activities';
import { journeyTraceOptions } from './journey-trace';
import { MIN_HISTORY_BOUND, type CarriedDefinitions, type JourneyState } from './journey-state';

export type OpenedDefinitions = {
  definitions: CarriedDefinitions;
  set: DefinitionSet;
  engine: Engine;
  /** False on a first run started on a named version: it has not asked the worker's history bound. */
  boundKnown: boolean;
};

/**
 * The definitions of this run. A first run started on a version the gateway named (one every live
 * worker loaded) takes it and asks nothing. Otherwise a tiny local activity names the worker's
 * current version (so the choice is recorded, ~100 bytes): a first run takes it; a later run moves
 * to it unless a partial match of a trigger it changes is open (a match keeps the version it
 * started with; checked again at the next continue-as-new). Nothing is awaited at continue-as-new
 * itself: under a constant stream of signals it must complete at once.
 */
export async function openDefinitions(state: JourneyState, version?: string): Promise<OpenedDefinitions> {
  const named = state.definitions === null ? version : undefined;
  const definitions = named === undefined ? await askDefinitions(state) : { hash: named };
  if (named !== undefined) state.historyBound = MIN_HISTORY_BOUND;
  state.definitions = definitions;
  const set = definitions.inline ?? definitionSet(definitions.hash);
  const engine = createEngine(
    set.triggers,
    set.engineConfig,
    state.engine ?? undefined,
    journeyTraceOptions(state),
  );
  return { definitions, set, engine, boundKnown: named === undefined };
}

/** The worker's current version and history bound, and the version this run takes. */
async function askDefinitions(state: JourneyState): Promise<CarriedDefinitions> {
  const current = await currentDefinitions();
  state.historyBound = current.historyBound;
  const carried = state.definitions;
  if (carried === null || carried.hash === current.hash) return carried ?? { hash: current.hash };
  const set = carried.inline ?? definitionSet(carried.hash);
  const open =
    state.engine === null ? [] : createEngine(set.triggers, set.engineConfig, state.engine).partials();
  return changesOpenPartial(open, set, definitionSet(current.hash)) ? carried : { hash: current.hash };
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
