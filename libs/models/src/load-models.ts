// Node-side loading of `models/*.json` in KAIROS_TRIGGERS_DIR (docs/models.md §1).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPath } from '@kairos/triggers';
import { ModelDefinitionSchema, type ModelDefinition } from './model.schema';

/** A load error: the file (relative to the models folder), the JSON path in it, what to do. */
export type ModelLoadError = { file: string; path: string; message: string };
export type ModelDir = { models: ModelDefinition[]; errors: ModelLoadError[] };

/** The models folder of a trigger directory. */
export function modelsDirOf(triggersDir: string): string {
  return join(triggersDir, 'models');
}

function parseOne(file: string, text: string, errors: ModelLoadError[]): ModelDefinition | null {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (e) {
    errors.push({ file, path: '', message: `is not valid JSON (${(e as Error).message}); fix the syntax` });
    return null;
  }
  const r = ModelDefinitionSchema.safeParse(value);
  if (!r.success) {
    for (const i of r.error.issues) errors.push({ file, path: formatPath(i.path), message: i.message });
    return null;
  }
  if (`${r.data.id}.json` !== file)
    errors.push({
      file,
      path: 'id',
      message: `"${r.data.id}" must match the file name: rename the file to ${r.data.id}.json or fix the id`,
    });
  return r.data;
}

/**
 * Loads every `<id>.json` of a models folder, in name order; a missing folder holds no model.
 * `models` holds only the valid definitions; `errors` names the file and path of every problem.
 */
export function loadModelDir(dir: string): ModelDir {
  const errors: ModelLoadError[] = [];
  const models: ModelDefinition[] = [];
  if (!existsSync(dir)) return { models, errors };
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith('.json'))
    .sort()) {
    const m = parseOne(f, readFileSync(join(dir, f), 'utf8'), errors);
    if (m !== null && !errors.some((e) => e.file === f)) models.push(m);
  }
  return { models, errors };
}
