import { evaluatePred, readPath } from '@kairos/triggers';
import type { HistoryEvent } from './history';
import type { ModelDefinition } from './model.schema';

/** Turns stored events into the model's view of them: target flag and value (docs/models.md §2). */
export type EventReader = {
  /** Names whose properties the reader needs (the rest are read without properties). */
  propertyNames: ReadonlySet<string>;
  read(name: string, at: number, properties?: Record<string, unknown> | null): HistoryEvent;
};

export function eventReader(def: ModelDefinition): EventReader {
  const atom = 'within' in def.target ? def.target.event : def.target.absent;
  const valuePaths = new Map((def.features?.values ?? []).map((v) => [v.event, v.path]));
  const propertyNames = new Set(valuePaths.keys());
  if (atom.where !== undefined) propertyNames.add(atom.name);
  return {
    propertyNames,
    read(name, at, properties) {
      const e: HistoryEvent = { name, at };
      if (!propertyNames.has(name)) {
        if (name === atom.name) e.target = true;
        return e;
      }
      const root = { name, properties: properties ?? {} };
      if (name === atom.name) e.target = atom.where === undefined || evaluatePred(atom.where, root);
      const path = valuePaths.get(name);
      if (path !== undefined) {
        const v = readPath(root, path);
        if (typeof v === 'number' && Number.isFinite(v)) e.value = v;
      }
      return e;
    },
  };
}
