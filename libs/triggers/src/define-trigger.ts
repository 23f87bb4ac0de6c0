import { TriggerError } from './errors';
import { TriggerSchema, type Trigger } from './trigger.schema';
import { issuesToErrors, profileErrors } from './validate';

/**
 * Typed helper for TypeScript authors: returns the definition unchanged after validating it
 * with every rule of docs/triggers.md §2 that concerns one trigger.
 * @throws TriggerError `INVALID_TRIGGER_SET` listing every offending field.
 */
export function defineTrigger<const T extends Trigger>(trigger: T): T {
  const r = TriggerSchema.safeParse(trigger);
  const errors = r.success ? profileErrors(r.data) : issuesToErrors(r.error.issues);
  if (errors.length > 0) {
    const id = typeof trigger.id === 'string' ? trigger.id : '?';
    throw new TriggerError(
      'INVALID_TRIGGER_SET',
      `trigger "${id}" is invalid: ${errors.map((e) => `${e.path || '(root)'}: ${e.message}`).join('; ')}`,
      errors,
    );
  }
  return trigger;
}
