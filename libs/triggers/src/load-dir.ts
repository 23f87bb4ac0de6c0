// Node-side loading of a trigger directory (KAIROS_TRIGGERS_DIR). Never imported from
// src/index.ts: workflows must stay free of fs/path.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compileSet } from './compile';
import { resolveEngineConfig } from './engine';
import type { EngineConfigInput } from './engine-config.schema';
import { PolicySchema, type Policy } from './policy.schema';
import { computeStateBound, STATE_BUDGET_BYTES } from './state-bound';
import { TriggerSchema, type Trigger } from './trigger.schema';
import { templateWarnings } from './template-warnings';
import { triggerWarnings } from './trigger-warnings';
import { formatPath, issuesToErrors, profileErrors } from './validate';

/** A load error: the file it concerns, the JSON path inside it, and what to do. */
export type LoadError = { file: string; path: string; message: string };

/** What a trigger directory holds. */
export type TriggerDir = {
  triggers: Trigger[];
  policy: Policy;
  /** Template id -> raw `.liquid` text (front matter included). */
  templates: Record<string, string>;
  /** Every problem found; `triggers` only holds the valid ones. */
  errors: LoadError[];
  /** What is legal but suspicious in the valid triggers (docs/triggers.md §2.8); never stops a load. */
  warnings: LoadError[];
  /** The static state bound of the valid triggers (bytes) and the budget. */
  stateBound: { total: number; budget: number };
};

function parseJsonText(file: string, text: string, errors: LoadError[]): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    errors.push({ file, path: '', message: `is not valid JSON (${(e as Error).message}); fix the syntax` });
    return undefined;
  }
}

function readJson(file: string, errors: LoadError[]): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    errors.push({ file, path: '', message: `cannot be read: ${(e as Error).message}` });
    return undefined;
  }
  return parseJsonText(file, text, errors);
}

function checkSet(
  triggers: { trigger: Trigger; file: string; prefix: string }[],
  templates: Record<string, string> | null,
  errors: LoadError[],
  config?: EngineConfigInput,
): number {
  const seen: Record<string, string> = {};
  for (const { trigger, file, prefix } of triggers) {
    const other = seen[trigger.id];
    if (other !== undefined)
      errors.push({
        file,
        path: `${prefix}id`,
        message: `"${trigger.id}" is already the id of a trigger in ${basename(other)}; ids must be unique (bump "version" to change a trigger)`,
      });
    else seen[trigger.id] = file;
    const tpl = trigger.response?.template;
    if (templates !== null && tpl !== undefined && templates[tpl] === undefined)
      errors.push({
        file,
        path: `${prefix}response.template`,
        message: `template "${tpl}" has no file templates/${tpl}.liquid; create it or fix the id`,
      });
  }
  const cfg = resolveEngineConfig(config);
  const bound = computeStateBound(compileSet(triggers.map((t) => t.trigger)), cfg);
  if (bound.total > STATE_BUDGET_BYTES)
    errors.push({
      file: '',
      path: '',
      message: `the set may need ${bound.total} bytes of state per customer, over the ${STATE_BUDGET_BYTES}-byte budget: lower limits.maxKeys or limits.maxPartialsPerKey (or use startPolicy "latest") on the largest triggers (${bound.largest.join(', ')})`,
    });
  return bound.total;
}

function parseTriggers(
  value: unknown,
  file: string,
  errors: LoadError[],
): { trigger: Trigger; file: string; prefix: string }[] {
  const items = Array.isArray(value) ? value : [value];
  const out: { trigger: Trigger; file: string; prefix: string }[] = [];
  items.forEach((item, i) => {
    const prefix = Array.isArray(value) ? `[${i}].` : '';
    const r = TriggerSchema.safeParse(item);
    const at = Array.isArray(value) ? [i] : [];
    const found = r.success ? profileErrors(r.data, at) : issuesToErrors(r.error.issues, at);
    for (const e of found) errors.push({ file, path: e.path, message: e.message });
    if (r.success && found.length === 0) out.push({ trigger: r.data, file, prefix });
  });
  return out;
}

/** Suspicious predicates of each trigger and, with `templates`, template variables that resolve to nothing. */
function warningsOf(
  parsed: { trigger: Trigger; file: string; prefix: string }[],
  templates: Record<string, string> | null,
): LoadError[] {
  return parsed.flatMap(({ trigger, file, prefix }) => {
    const own = triggerWarnings(trigger).map((w) => ({
      file,
      path: `${prefix}${formatPath(w.path)}`,
      message: w.message,
    }));
    const id = trigger.response?.template;
    const source = id === undefined || templates === null ? undefined : templates[id];
    const tpl =
      source === undefined
        ? []
        : templateWarnings(trigger, source).map((message) => ({
            file,
            path: `${prefix}response.template`,
            message: `templates/${id as string}.liquid: ${message}`,
          }));
    return [...own, ...tpl];
  });
}

/**
 * The pure part of loading a directory: `files` maps file names to their text (trigger files
 * and optionally `policy.json`), `templates` maps template ids to their text.
 */
export function parseTriggerFiles(
  files: Record<string, string>,
  templates: Record<string, string>,
  config?: EngineConfigInput,
): TriggerDir {
  const errors: LoadError[] = [];
  const parsed = Object.keys(files)
    .filter((f) => f !== 'policy.json')
    .sort()
    .flatMap((f) => {
      const value = parseJsonText(f, files[f] as string, errors);
      return value === undefined ? [] : parseTriggers(value, f, errors);
    });
  let policy: Policy = PolicySchema.parse({});
  const policyText = files['policy.json'];
  if (policyText !== undefined) {
    const value = parseJsonText('policy.json', policyText, errors);
    if (value !== undefined) {
      const r = PolicySchema.safeParse(value);
      if (r.success) policy = r.data;
      else
        for (const e of issuesToErrors(r.error.issues))
          errors.push({ file: 'policy.json', path: e.path, message: e.message });
    }
  }
  const total = checkSet(parsed, templates, errors, config);
  return {
    triggers: parsed.map((p) => p.trigger),
    policy,
    templates,
    errors,
    warnings: warningsOf(parsed, templates),
    stateBound: { total, budget: STATE_BUDGET_BYTES },
  };
}

/**
 * Loads a trigger directory: every `*.json` except `policy.json` is one trigger (or an array
 * of triggers), `policy.json` is the workspace policy (defaults when absent), and
 * `templates/<id>.liquid` are the message templates. Files are read in name order; errors
 * name the file (relative to `dir`) and the JSON path inside it.
 */
export function loadTriggerDir(dir: string, config?: EngineConfigInput): TriggerDir {
  const files: Record<string, string> = {};
  const readErrors: LoadError[] = [];
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith('.json'))
    .sort()) {
    try {
      files[f] = readFileSync(join(dir, f), 'utf8');
    } catch (e) {
      readErrors.push({ file: f, path: '', message: `cannot be read: ${(e as Error).message}` });
    }
  }
  const templates: Record<string, string> = {};
  const tplDir = join(dir, 'templates');
  if (exists(tplDir))
    for (const f of readdirSync(tplDir).sort())
      if (f.endsWith('.liquid'))
        templates[f.slice(0, -'.liquid'.length)] = readFileSync(join(tplDir, f), 'utf8');
  const r = parseTriggerFiles(files, templates, config);
  return { ...r, errors: [...readErrors, ...r.errors] };
}

/** Loads one trigger file (an object or an array of triggers) with the set-level checks. */
export function loadTriggerFile(
  file: string,
  config?: EngineConfigInput,
): {
  triggers: Trigger[];
  errors: LoadError[];
  warnings: LoadError[];
  stateBound: { total: number; budget: number };
} {
  const errors: LoadError[] = [];
  const value = readJson(file, errors);
  const parsed = value === undefined ? [] : parseTriggers(value, file, errors);
  const total = checkSet(parsed, null, errors, config);
  return {
    triggers: parsed.map((p) => p.trigger),
    errors,
    warnings: warningsOf(parsed, null),
    stateBound: { total, budget: STATE_BUDGET_BYTES },
  };
}

/** Loads a file or a directory of triggers. */
export function loadTriggers(
  fileOrDir: string,
  config?: EngineConfigInput,
): {
  triggers: Trigger[];
  errors: LoadError[];
  warnings: LoadError[];
  stateBound: { total: number; budget: number };
} {
  return statSync(fileOrDir).isDirectory()
    ? loadTriggerDir(fileOrDir, config)
    : loadTriggerFile(fileOrDir, config);
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}
