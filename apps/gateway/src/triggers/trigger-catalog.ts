import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Isolates the gateway from `@kairos/triggers`, which was still being written when the gateway
 * landed: until `loadTriggerDir`/`triggerEventNames`/`validateTriggerSet` are exported, this file
 * reads the trigger JSON files itself and extracts event names minimally. Swap the bodies of
 * `loadCatalog` and `validateDefinition` for the library calls when it ships; callers stay.
 */

export type TriggerSummary = { id: string; version: number; enabled: boolean; hash: string };
export type CatalogError = { path: string; message: string };
export type TriggerCatalog = {
  dir: string;
  triggers: TriggerSummary[];
  /** Names used by an enabled trigger's pattern, exit rules or conversion goal. */
  eventNames: ReadonlySet<string>;
  errors: CatalogError[];
};

type RawTrigger = Record<string, unknown> & { id: string; pattern: unknown };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isTrigger(v: unknown): v is RawTrigger {
  return isObject(v) && typeof v.id === 'string' && isObject(v.pattern);
}

/** JSON with sorted keys, so the hash does not depend on key order in the file. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** Every `{kind: "event", name}` atom below a pattern node. */
function collectAtomNames(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const child of node) collectAtomNames(child, into);
    return;
  }
  if (!isObject(node)) return;
  if (node.kind === 'event' && typeof node.name === 'string') into.add(node.name);
  for (const [key, child] of Object.entries(node)) {
    // Predicates (`where`) hold values, never atoms.
    if (key !== 'where') collectAtomNames(child, into);
  }
}

/** The event names one trigger listens to: its pattern, its exit rules and its conversion goal. */
export function triggerEventNames(trigger: RawTrigger): string[] {
  const names = new Set<string>();
  collectAtomNames(trigger.pattern, names);
  const response = isObject(trigger.response) ? trigger.response : undefined;
  if (response && Array.isArray(response.exitOn)) {
    for (const atom of response.exitOn)
      if (isObject(atom) && typeof atom.name === 'string') names.add(atom.name);
  }
  const conversion = response && isObject(response.conversion) ? response.conversion : undefined;
  if (conversion && isObject(conversion.event) && typeof conversion.event.name === 'string')
    names.add(conversion.event.name);
  return [...names].sort();
}

function definitionFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of fs
      .readdirSync(d, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory() && entry.name !== 'templates' && !entry.name.startsWith('.')) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.json') && !/^policy(\..*)?\.json$/.test(entry.name))
        out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** Loads the trigger definitions of a directory (missing directory = empty set, reported). */
export function loadCatalog(dir: string): TriggerCatalog {
  const errors: CatalogError[] = [];
  const triggers: TriggerSummary[] = [];
  const eventNames = new Set<string>();
  if (!fs.existsSync(dir)) {
    return {
      dir,
      triggers,
      eventNames,
      errors: [{ path: dir, message: 'trigger directory does not exist' }],
    };
  }
  const seen = new Set<string>();
  for (const file of definitionFiles(dir)) {
    const rel = path.relative(dir, file);
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      errors.push({
        path: rel,
        message: `not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
      });
      continue;
    }
    const list = Array.isArray(parsed)
      ? parsed
      : isObject(parsed) && Array.isArray(parsed.triggers)
        ? parsed.triggers
        : [parsed];
    list.forEach((item: unknown, i: number) => {
      const where = list.length > 1 || Array.isArray(parsed) ? `${rel}[${i}]` : rel;
      const problems = validateDefinition(item);
      if (!isTrigger(item) || problems.length > 0) {
        for (const p of problems)
          errors.push({ path: `${where}${p.path ? `.${p.path}` : ''}`, message: p.message });
        return;
      }
      if (seen.has(item.id)) {
        errors.push({ path: `${where}.id`, message: `duplicate trigger id "${item.id}"` });
        return;
      }
      seen.add(item.id);
      const enabled = item.enabled !== false;
      triggers.push({
        id: item.id,
        version: typeof item.version === 'number' ? item.version : 1,
        enabled,
        hash: createHash('sha256').update(canonical(item)).digest('hex').slice(0, 16),
      });
      if (enabled) for (const name of triggerEventNames(item)) eventNames.add(name);
    });
  }
  return { dir, triggers, eventNames, errors };
}

const ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const EVENT_NAME = /^[a-z0-9_.:-]{1,100}$/;

/**
 * Structural validation of one definition (id, version, pattern kinds, atom names). A stand-in
 * for the library's full validation (TRIGGERS.md section 2), which replaces it when exported.
 */
export function validateDefinition(input: unknown): CatalogError[] {
  if (!isObject(input)) return [{ path: '', message: 'a trigger definition must be a JSON object' }];
  const errors: CatalogError[] = [];
  if (typeof input.id !== 'string' || !ID.test(input.id)) {
    errors.push({
      path: 'id',
      message: 'is required: 1-64 lowercase letters, digits, . _ - (for example "abandoned-cart")',
    });
  }
  if (!Number.isInteger(input.version) || (input.version as number) < 1) {
    errors.push({ path: 'version', message: 'is required: a whole number of at least 1' });
  }
  if (input.enabled !== undefined && typeof input.enabled !== 'boolean')
    errors.push({ path: 'enabled', message: 'must be true or false' });
  const kinds = ['event', 'count', 'all', 'any', 'seq', 'inactivity'];
  if (!isObject(input.pattern))
    errors.push({ path: 'pattern', message: 'is required: an object with a "kind"' });
  else if (!kinds.includes(String(input.pattern.kind))) {
    errors.push({ path: 'pattern.kind', message: `must be one of ${kinds.map((k) => `"${k}"`).join(', ')}` });
  }
  const checkAtoms = (node: unknown, at: string): void => {
    if (Array.isArray(node)) return node.forEach((c, i) => checkAtoms(c, `${at}[${i}]`));
    if (!isObject(node)) return;
    if (node.kind === 'event' && (typeof node.name !== 'string' || !EVENT_NAME.test(node.name))) {
      errors.push({
        path: `${at}.name`,
        message: 'must be an event name of 1-100 lowercase letters, digits, _ . : -',
      });
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'where') checkAtoms(v, `${at}.${k}`);
  };
  checkAtoms(input.pattern, 'pattern');
  if (input.response !== undefined) checkAtoms(input.response, 'response');
  return errors;
}
