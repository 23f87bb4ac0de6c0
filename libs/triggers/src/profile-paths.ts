import type { Pred } from './pred.schema';
import { profileFieldType, unknownProfileFieldMessage } from './profile-fields';
import type { Trigger } from './trigger.schema';

/** A refusal found after parsing: JSON path segments relative to the trigger and a sentence. */
export type PathIssue = { path: (string | number)[]; message: string };

/** Every leaf path a predicate reads (`path` and `ref.path`), with the JSON path of the field. */
export function predPaths(p: Pred, at: (string | number)[]): { value: string; at: (string | number)[] }[] {
  if (p.op === 'and' || p.op === 'or') return p.args.flatMap((a, i) => predPaths(a, [...at, 'args', i]));
  if (p.op === 'not') return predPaths(p.arg, [...at, 'arg']);
  const leaf = p as Extract<Pred, { path: string }>;
  const own = [{ value: leaf.path, at: [...at, 'path'] }];
  return 'ref' in leaf ? [...own, { value: leaf.ref.path, at: [...at, 'ref', 'path'] }] : own;
}

/**
 * The profile rules (docs/triggers.md §2.2, §2.7): a `profile.*` path names a field of the profile
 * schema or a path under `profile.attributes`; `conversion.valuePath` reads the conversion
 * event, which carries no profile. Kept out of TriggerSchema on purpose: a definition already
 * recorded in a running journey's history must still parse when that history replays.
 */
export function checkProfilePaths(t: Trigger): PathIssue[] {
  const issues: PathIssue[] = [];
  const escalate = t.response?.escalate;
  if (escalate)
    for (const leaf of predPaths(escalate.when, ['response', 'escalate', 'when']))
      if (leaf.value.startsWith('profile.') && profileFieldType(leaf.value) === undefined)
        issues.push({ path: leaf.at, message: unknownProfileFieldMessage(leaf.value) });
  // A date pattern reads the profile too (docs/triggers.md §3.12).
  if (t.pattern.kind === 'date' && profileFieldType(t.pattern.path) === undefined)
    issues.push({ path: ['pattern', 'path'], message: unknownProfileFieldMessage(t.pattern.path) });
  const valuePath = t.response?.conversion?.valuePath;
  if (valuePath?.startsWith('profile.'))
    issues.push({
      path: ['response', 'conversion', 'valuePath'],
      message: `"${valuePath}" reads the profile, but the value is read on the conversion event: use "properties.<field>" of that event (for example "properties.amount")`,
    });
  return issues;
}
