import { z } from 'zod';

/** Longest event name, in Unicode code points (what JSON Schema's maxLength and Postgres count). */
export const EVENT_NAME_MAX_CHARS = 200;

/**
 * The volume report's row for unknown names past the per-minute allowance (docs/api.md §8).
 * Reserved so that no real event can be counted under it.
 */
export const OTHER_EVENT_NAMES = '(other)';

/**
 * An event name: 1-200 code points, none of them a control character (C0, DEL, C1), a line or
 * paragraph separator or half of a surrogate pair, not starting or ending with whitespace.
 * Written without the `u` flag so that the same source works as a JSON Schema `pattern` in
 * editors that compile patterns either way: a surrogate pair counts as one repetition.
 */
export const EVENT_NAME_PATTERN =
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  /^(?!\s)(?![\s\S]*\s$)(?:[^\u0000-\u001F\u007F-\u009F\u2028\u2029\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF]){1,200}$/;

const EXAMPLE = 'for example "Order Completed" or "cart.updated"';

function hex(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why one code point may not be in a name, or null; `at` is its 1-based position. */
function charProblem(cp: number, lone: boolean, at: number): string | null {
  if (lone) return `must be valid Unicode text: remove the unpaired surrogate ${hex(cp)} at character ${at}`;
  if (cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f))
    return `must not contain control characters (tabs, newlines, ...): remove ${hex(cp)} at character ${at}`;
  if (cp === 0x2028 || cp === 0x2029)
    return `must not contain line or paragraph separators: remove ${hex(cp)} at character ${at}`;
  return null;
}

/**
 * Why `name` is not a valid event name, as a message saying what to change; null when it is
 * one. The schema's message; it agrees with EVENT_NAME_PATTERN (event-name.schema.spec.ts).
 */
export function eventNameProblem(name: string): string | null {
  if (name.length === 0) return `must not be empty: an event name has 1-200 characters, ${EXAMPLE}`;
  let chars = 0;
  for (let i = 0; i < name.length; chars++) {
    const cp = name.codePointAt(i) as number;
    const lone = cp >= 0xd800 && cp <= 0xdfff;
    const problem = charProblem(cp, lone, chars + 1);
    if (problem !== null) return problem;
    i += cp > 0xffff ? 2 : 1;
  }
  if (chars > EVENT_NAME_MAX_CHARS)
    return `must be at most ${EVENT_NAME_MAX_CHARS} characters: shorten it (it has ${chars})`;
  if (name.trim() !== name)
    return `must not start or end with whitespace (names match exactly): send ${JSON.stringify(name.trim())}`;
  if (name === OTHER_EVENT_NAMES)
    return `"${OTHER_EVENT_NAMES}" is reserved (the volume report's row for unlisted names): choose another name`;
  return null;
}

/**
 * An event name as producers send it ("Order Completed", "cart.updated", "注文完了"), matched
 * exactly, case and all, by trigger patterns, exit rules and conversion goals. One schema for the
 * API and the trigger language, so a name the gateway accepts is always one a trigger may use.
 */
export const EventNameSchema = z
  .string({ error: `must be an event name: a string of 1-200 characters, ${EXAMPLE}` })
  .regex(EVENT_NAME_PATTERN, {
    error: (issue) =>
      eventNameProblem(String(issue.input)) ?? `must be an event name of 1-200 characters, ${EXAMPLE}`,
  })
  .refine((name) => name !== OTHER_EVENT_NAMES, {
    error: (issue) => eventNameProblem(String(issue.input)) ?? 'is reserved',
  })
  .meta({
    description:
      'Event name: 1-200 characters of printable Unicode, spaces allowed inside, matched exactly (case-sensitive).',
    minLength: 1,
    maxLength: EVENT_NAME_MAX_CHARS,
  });
