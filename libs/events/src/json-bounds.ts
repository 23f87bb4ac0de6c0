import { z } from 'zod';

/** Limits of an open JSON object (event properties, profile attributes). */
export type JsonBounds = { maxDepth: number; maxBytes: number };

/** The bounds of event properties and profile attributes (docs/api.md §3, §4). */
export const OPEN_JSON_BOUNDS: Readonly<JsonBounds> = Object.freeze({ maxDepth: 5, maxBytes: 32 * 1024 });

/** The first bound a value breaks: where (relative path) and why; null when within bounds. */
export type JsonBoundViolation = { path: (string | number)[]; message: string };

type Pending = { value: unknown; path: (string | number)[]; depth: number };

/** Bytes of a scalar as JSON.stringify writes it (0 for what it leaves out). */
function scalarBytes(value: unknown): number {
  if (typeof value === 'bigint') return String(value).length;
  const text = JSON.stringify(value) as string | undefined;
  return text === undefined ? 0 : Buffer.byteLength(text);
}

/**
 * Checks nesting depth (the value itself is level 1) and serialised size with an explicit stack,
 * never recursion: a body nested 20,000 deep must become a 400, not a stack overflow. Stops at
 * the first violation, so a huge value costs no more than the bytes it takes to exceed a bound.
 */
export function findJsonBoundViolation(value: unknown, bounds: JsonBounds): JsonBoundViolation | null {
  const stack: Pending[] = [{ value, path: [], depth: 1 }];
  let bytes = 0;
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { value: node, path, depth } = item;
    if (node === null || typeof node !== 'object') {
      bytes += scalarBytes(node);
    } else {
      if (depth > bounds.maxDepth)
        return { path, message: `must be nested at most ${bounds.maxDepth} levels deep` };
      const entries = Array.isArray(node)
        ? node.map((v, i) => [i, v] as const)
        : Object.entries(node as Record<string, unknown>).filter(([, v]) => v !== undefined);
      // Braces and commas, then `"key":` per member.
      bytes += 2 + Math.max(entries.length - 1, 0);
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        const [key, child] = entries[i]!;
        if (typeof key === 'string') bytes += scalarBytes(key) + 1;
        stack.push({ value: child, path: [...path, key], depth: depth + 1 });
      }
    }
    if (bytes > bounds.maxBytes)
      return { path: [], message: `must be at most ${Math.floor(bounds.maxBytes / 1024)} KiB of JSON` };
  }
  return null;
}

/**
 * A JSON object within bounds. The bounds are checked first, iteratively; only a value within
 * them reaches z.json(), which recurses.
 */
export function boundedJsonObject(bounds: JsonBounds) {
  return z
    .record(z.string(), z.unknown())
    .superRefine((value, ctx) => {
      const violation = findJsonBoundViolation(value, bounds);
      if (violation) ctx.addIssue({ code: 'custom', path: violation.path, message: violation.message });
    })
    .describe(
      `JSON object, at most ${bounds.maxDepth} levels deep (itself counting as one) and ${Math.floor(bounds.maxBytes / 1024)} KiB serialised`,
    )
    .pipe(z.record(z.string(), z.json()));
}
