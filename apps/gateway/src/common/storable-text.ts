// PostgreSQL cannot store NUL (U+0000) or unpaired UTF-16 surrogates in text or jsonb: a body
// carrying one would pass zod, then fail at insert (a 500, or an activity retrying forever).
// eslint-disable-next-line no-control-regex -- NUL (U+0000) is exactly what must be found
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const UNSTORABLE_MESSAGE = 'must not contain NUL (U+0000) or unpaired surrogate characters';

/** The dot path of the first string (or key) in `value` PostgreSQL could not store, or null. */
export function findUnstorableText(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path || '(body)' : null;
  if (value === null || typeof value !== 'object' || depth > 64) return null;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const here = path ? `${path}.${k}` : k;
    if (UNSTORABLE.test(k)) return here;
    const found = findUnstorableText(v, here, depth + 1);
    if (found) return found;
  }
  return null;
}
