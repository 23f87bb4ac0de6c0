import { compileSet } from './compile';
import { resolveEngineConfig } from './engine';
import type { EngineConfigInput } from './engine-config.schema';
import { computeStateBound, STATE_BUDGET_BYTES } from './state-bound';
import type { Trigger } from './trigger.schema';
import { issuesToErrors, profileErrors, type ValidationError } from './validate';
import { TriggerSchema } from './trigger.schema';
import { patternAtoms } from './trigger-rules';

/**
 * Validates a whole trigger set: every trigger with all rules of docs/triggers.md §2.7, ids unique across
 * the set, and the static state bound within the 192 KiB budget (for `config`, default arrival).
 * Paths are prefixed with the trigger's index: `[2].pattern.steps[1].for`.
 */
export function validateTriggerSet(
  input: unknown[],
  config?: EngineConfigInput,
): { ok: true; triggers: Trigger[] } | { ok: false; errors: ValidationError[] } {
  const errors: ValidationError[] = [];
  const triggers: Trigger[] = [];
  const firstIndex: Record<string, number> = {};
  input.forEach((item, i) => {
    const r = TriggerSchema.safeParse(item);
    if (!r.success) {
      errors.push(...issuesToErrors(r.error.issues, [i]));
      return;
    }
    errors.push(...profileErrors(r.data, [i]));
    const prev = firstIndex[r.data.id];
    if (prev !== undefined)
      errors.push({
        path: `[${i}].id`,
        message: `"${r.data.id}" is already the id of trigger [${prev}]; ids must be unique (bump "version" to change a trigger instead)`,
      });
    else firstIndex[r.data.id] = i;
    triggers.push(r.data);
  });
  if (errors.length > 0) return { ok: false, errors };
  let cfg;
  try {
    cfg = resolveEngineConfig(config);
  } catch (e) {
    return { ok: false, errors: [{ path: 'config', message: (e as Error).message }] };
  }
  const bound = computeStateBound(compileSet(triggers), cfg);
  if (bound.total > STATE_BUDGET_BYTES) {
    errors.push({
      path: '',
      message: `the set may need ${bound.total} bytes of state per customer, over the ${STATE_BUDGET_BYTES}-byte budget: lower limits.maxKeys or limits.maxPartialsPerKey (or use startPolicy "latest") on the largest triggers (${bound.largest.join(', ')})`,
    });
    return { ok: false, errors };
  }
  return { ok: true, triggers };
}

/**
 * Every event name any enabled trigger's pattern mentions, sorted. (The gateway adds
 * `response.exitOn` and `response.conversion.event` names itself, see `responseEventNames`.)
 */
export function triggerEventNames(triggers: readonly Trigger[]): string[] {
  const names: Record<string, true> = {};
  for (const t of triggers)
    if (t.enabled !== false) for (const a of patternAtoms(t.pattern)) names[a.atom.name] = true;
  return Object.keys(names).sort();
}

/** Event names the responses of enabled triggers listen to (`exitOn`, `conversion.event`), sorted. */
export function responseEventNames(triggers: readonly Trigger[]): string[] {
  const names: Record<string, true> = {};
  for (const t of triggers) {
    if (t.enabled === false || !t.response) continue;
    for (const a of t.response.exitOn ?? []) names[a.name] = true;
    if (t.response.conversion) names[t.response.conversion.event.name] = true;
  }
  return Object.keys(names).sort();
}
