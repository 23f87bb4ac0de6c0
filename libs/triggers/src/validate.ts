import type { z } from 'zod';
import { checkProfilePaths } from './profile-paths';
import { TriggerSchema, type Trigger } from './trigger.schema';

/** One validation error: JSON path of the offending field and a sentence the author can act on. */
export type ValidationError = { path: string; message: string };

/** Formats a zod path as `pattern.steps[1].for`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

function sentence(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}: remove ${issue.keys.length > 1 ? 'them' : 'it'} or check the spelling`;
    case 'invalid_union':
      if ('discriminator' in issue && issue.discriminator !== undefined) {
        const options = (issue as { options?: unknown[] }).options ?? [];
        return `"${String(issue.discriminator)}" must be one of ${options.map((o) => `"${String(o)}"`).join(', ')}`;
      }
      return issue.message;
    case 'invalid_type':
      if (issue.message.startsWith('Invalid input'))
        return issue.input === undefined
          ? 'is required'
          : `must be ${issue.expected === 'int' ? 'a whole number' : `a ${issue.expected}`}`;
      return issue.message;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'custom':
    case 'invalid_element':
    case 'invalid_format':
    case 'invalid_key':
    case 'not_multiple_of':
    case 'too_big':
    case 'too_small':
      return issue.message;
  }
}

/** Turns zod issues into `{ path, message }` with the path prefixed by `prefix`. */
export function issuesToErrors(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): ValidationError[] {
  return issues.map((i) => {
    const path = [...prefix, ...i.path];
    // A discriminator error points at the discriminator field, which reads better for authors.
    if (
      i.code === 'invalid_union' &&
      'discriminator' in i &&
      typeof i.discriminator === 'string' &&
      path[path.length - 1] !== i.discriminator
    )
      path.push(i.discriminator);
    return { path: formatPath(path), message: sentence(i) };
  });
}

/** Validates one trigger definition; errors carry paths relative to the trigger. */
export function validateTrigger(
  input: unknown,
): { ok: true; trigger: Trigger } | { ok: false; errors: ValidationError[] } {
  const r = TriggerSchema.safeParse(input);
  if (!r.success) return { ok: false, errors: issuesToErrors(r.error.issues) };
  const errors = profileErrors(r.data);
  return errors.length === 0 ? { ok: true, trigger: r.data } : { ok: false, errors };
}

/** The profile rules of a parsed trigger (see checkProfilePaths), paths prefixed by `prefix`. */
export function profileErrors(t: Trigger, prefix: readonly PropertyKey[] = []): ValidationError[] {
  return checkProfilePaths(t).map((i) => ({ path: formatPath([...prefix, ...i.path]), message: i.message }));
}
