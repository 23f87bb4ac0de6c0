// The trigger definitions a run works with, and the matcher built on them.
import { createEngine, type DefinitionSet, type Engine, type PartialMatchView } from '@kairos/triggers';
import { loadDefinitionSet } from './journey-activities';
import type { CarriedDefinitions, JourneyState } from './journey-state';

export type OpenedDefinitions = { definitions: CarriedDefinitions; engine: Engine; historyBound: number };

/**
 * The definitions of this run: the worker's current ones (a local activity, so a restarted worker
 * with new files takes effect at the next continue-as-new), but a run keeps the carried set while
 * a partial match of a changed trigger is open: a match keeps the version it started with.
 */
export async function openDefinitions(state: JourneyState): Promise<OpenedDefinitions> {
  const fresh = await loadDefinitionSet();
  const prior = state.definitions;
  let chosen: CarriedDefinitions = { hash: fresh.hash, set: fresh.set };
  if (prior !== null && prior.hash !== fresh.hash && state.engine !== null) {
    const old = createEngine(prior.set.triggers, prior.set.engineConfig, state.engine);
    if (changesOpenPartial(old.partials(), prior.set, fresh.set)) chosen = prior;
  }
  const engine = createEngine(chosen.set.triggers, chosen.set.engineConfig, state.engine ?? undefined);
  return { definitions: chosen, engine, historyBound: fresh.historyBound };
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
