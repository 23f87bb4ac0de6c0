import { createHash } from 'node:crypto';
import fs from 'node:fs';
import {
  hashDefinitionSet,
  PolicySchema,
  responseEventNames,
  toDefinitionSet,
  triggerEventNames,
  validateTriggerSet,
  type Policy,
  type Trigger,
} from '@kairos/triggers';
import { loadTriggerDir } from '@kairos/triggers/node';

/**
 * The gateway's view of the trigger set, read with `@kairos/triggers` exactly as the worker
 * reads it: which definitions are loaded, the workspace policy, and which event names wake a journey.
 */

export type TriggerSummary = { id: string; version: number; enabled: boolean; hash: string };
export type CatalogError = { path: string; message: string };
export type TriggerCatalog = {
  dir: string;
  triggers: TriggerSummary[];
  /** The loaded definitions, parsed (what journeys run), in the order of `triggers`. */
  definitions: readonly Trigger[];
  /** The workspace policy of `policy.json` (defaults when the file is absent), read in the same pass. */
  policy: Policy;
  /** Names used by an enabled trigger's pattern, exit rules or conversion goal. */
  eventNames: ReadonlySet<string>;
  errors: CatalogError[];
  /** Content hash of the set journeys would run on, computed as the worker does (null: unusable folder). */
  definitionsHash: string | null;
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON with sorted keys, so the hash does not depend on key order in the file. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => v[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** A short content hash of a parsed definition (defaults applied, key order irrelevant). */
export function triggerHash(trigger: Trigger): string {
  return createHash('sha256').update(canonical(trigger)).digest('hex').slice(0, 16);
}

/** Every event name the enabled triggers listen to: patterns, exit rules and conversion goals. */
export function relevantEventNames(triggers: readonly Trigger[]): string[] {
  return [...new Set([...triggerEventNames(triggers), ...responseEventNames(triggers)])].sort();
}

/**
 * Loads a trigger directory with the library's loader (missing directory = empty set, reported).
 * Load errors are reported as `<file>:<path>`; the valid definitions are kept, as in the worker.
 */
export function loadCatalog(dir: string): TriggerCatalog {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    return {
      dir,
      triggers: [],
      definitions: [],
      policy: PolicySchema.parse({}),
      eventNames: new Set(),
      definitionsHash: null,
      errors: [
        { path: dir, message: 'trigger directory does not exist: set KAIROS_TRIGGERS_DIR to a directory' },
      ],
    };
  }
  const loaded = loadTriggerDir(dir);
  const errors = loaded.errors.map((e) => ({
    path: [e.file, e.path].filter((p) => p !== '').join(':'),
    message: e.message,
  }));
  return {
    dir,
    triggers: loaded.triggers.map((t) => ({
      id: t.id,
      version: t.version,
      enabled: t.enabled !== false,
      hash: triggerHash(t),
    })),
    definitions: loaded.triggers,
    policy: loaded.policy,
    eventNames: new Set(relevantEventNames(loaded.triggers)),
    errors,
    definitionsHash: errors.length > 0 ? null : hashDefinitionSet(toDefinitionSet(loaded)),
  };
}

/**
 * Validates one definition or an array of definitions with the library's full rules
 * (docs/triggers.md §2.7, unique ids, state budget). Paths are relative to the definition, or
 * prefixed with `[i]` for an array.
 */
export function validateDefinition(input: unknown): CatalogError[] {
  if (Array.isArray(input)) {
    if (input.length === 0) return [{ path: '', message: 'an array of definitions must not be empty' }];
    const r = validateTriggerSet(input);
    return r.ok ? [] : r.errors;
  }
  if (!isObject(input))
    return [{ path: '', message: 'a trigger definition must be a JSON object (or an array of them)' }];
  // A one-element set: the same rules and messages, without the `[0]` prefix.
  const r = validateTriggerSet([input]);
  return r.ok ? [] : r.errors.map((e) => ({ ...e, path: e.path.replace(/^\[0\]\.?/, '') }));
}
