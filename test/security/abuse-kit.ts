// Hostile inputs for test/security/abuse.int-spec.ts, written as text where JSON.stringify could
// not produce them (too deep to recurse, numbers it would rewrite) and as variants of a valid
// body where every string is replaced by one PostgreSQL cannot store.
import { createHmac } from 'node:crypto';

/** `{"a":{"a":...1}}` nested `depth` levels: as text, since JSON.stringify would recurse. */
export const deepObject = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
export const deepArray = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** An object of `keys` members `"k0":0,...` (wide, shallow) as text. */
export const wideObject = (keys: number): string =>
  `{${Array.from({ length: keys }, (_, i) => `"k${i}":${i}`).join(',')}}`;
export const wideArray = (items: number): string => `[${Array.from({ length: items }, () => '0').join(',')}]`;

/** Strings PostgreSQL refuses in text and jsonb (NUL, unpaired surrogates of both halves). */
export const UNSTORABLE_STRINGS = ['a\u0000b', '\ud800x', 'x\udfff', '\u0000'] as const;

/**
 * Numbers as JSON text, as a client would send them: the largest double, negative zero, an
 * integer doubles cannot hold exactly, and one beyond the double range (JSON.parse: Infinity).
 */
export const HUGE_NUMBERS = ['1e308', '-1.7976931348623157e308', '-0', '9007199254740993', '1e400', '-1e400'];

export type JsonPath = (string | number)[];

/** Every string leaf of a JSON value, with its path (for "a NUL in every string field"). */
export function stringLeaves(value: unknown, path: JsonPath = []): JsonPath[] {
  if (typeof value === 'string') return [path];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) =>
    stringLeaves(v, [...path, Array.isArray(value) ? Number(k) : k]),
  );
}

/** A deep copy of `value` with the leaf at `path` replaced. */
export function replaceAt(value: unknown, path: JsonPath, leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  if (Array.isArray(value))
    return (value as unknown[]).map((v, i) => (i === head ? replaceAt(v, rest, leaf) : v));
  const record = value as Record<string, unknown>;
  return { ...record, [head as string]: replaceAt(record[head as string], rest, leaf) };
}

/** `path` as the gateway's problem answers name it: `events.0.name`. */
export const dotted = (path: JsonPath): string => path.join('.');

/**
 * The body as text with raw JSON text at `path`: a number JSON.stringify would rewrite (1e400,
 * -0) or a value too deep for it to write. A placeholder string is swapped after stringify.
 */
export function withRawAt(value: unknown, path: JsonPath, raw: string): string {
  const marker = '__kairos_raw_marker__';
  const text = JSON.stringify(replaceAt(value, path, marker));
  const at = text.indexOf(`"${marker}"`);
  return `${text.slice(0, at)}${raw}${text.slice(at + marker.length + 2)}`;
}

/** Every leaf (string, number, boolean, null) of a JSON value, with its path. */
export function leaves(value: unknown, path: JsonPath = []): JsonPath[] {
  if (value === null || typeof value !== 'object') return [path];
  return Object.entries(value).flatMap(([k, v]) =>
    leaves(v, [...path, Array.isArray(value) ? Number(k) : k]),
  );
}

/** Headers a provider signs a callback with (docs/api.md §6): HMAC-SHA256 of "<unix s>.<raw body>". */
export function feedbackSignature(
  secret: string,
  raw: string | Buffer,
  nowS = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const timestamp = String(nowS);
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(raw).digest('hex');
  return { 'x-kairos-timestamp': timestamp, 'x-kairos-signature': `sha256=${mac}` };
}

/** A tracking token `<kid>.<payload>.<sig>` with parts taken from or swapped into a genuine one. */
export function tokenParts(token: string): { kid: string; payload: string; signature: string } {
  const [kid = '', payload = '', signature = ''] = token.split('.');
  return { kid, payload, signature };
}

/** The payload part a token for this delivery and URL carries (base64url JSON). */
export const trackingPayload = (deliveryId: string, url?: string): string =>
  Buffer.from(JSON.stringify(url === undefined ? { d: deliveryId } : { d: deliveryId, u: url })).toString(
    'base64url',
  );

/** The 16-byte HMAC signature of a tracking token's signed part, as the codec module computes it. */
export const trackingMac = (secret: string, signed: string): string =>
  createHmac('sha256', secret).update(signed).digest().subarray(0, 16).toString('base64url');
