/** One HMAC key of tracking links, named by the key id every token it signs carries. */
export type TrackingKey = Readonly<{ kid: string; secret: string }>;

/**
 * Development-only signing key, used outside production when no secret is set. It is public (it
 * is in this repository), so production refuses it: see resolveTrackingKeys.
 */
export const DEV_TRACKING_SECRET = 'kairos-dev-tracking-secret';

/** The key id of a key given alone (KAIROS_TRACKING_SECRET): rotating to a list keeps it as `0:<old>`. */
export const SINGLE_TRACKING_KEY_ID = '0';

/** Minimum secret length in production: HMAC-SHA256 keys shorter than its 32-byte output are weaker. */
export const MIN_PRODUCTION_SECRET_BYTES = 32;
const MIN_DEVELOPMENT_SECRET_CHARS = 16;

// No `.`: it separates the parts of a token.
const KEY_ID = /^[A-Za-z0-9_-]{1,16}$/;

export const singleTrackingKey = (secret: string): TrackingKey[] => [
  Object.freeze({ kid: SINGLE_TRACKING_KEY_ID, secret }),
];

/**
 * Parses `KAIROS_TRACKING_SECRETS`: `kid:secret[,kid:secret...]`. The first key signs new links;
 * every key verifies, so a rotation puts the new key first and keeps the old ones as long as
 * sent messages may still be clicked. Messages never include key material.
 */
export function parseTrackingKeys(value: string): { keys: TrackingKey[]; errors: string[] } {
  const errors: string[] = [];
  const keys: TrackingKey[] = [];
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (entries.length === 0) errors.push('must list at least one key as kid:secret');
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const kid = colon > 0 ? entry.slice(0, colon) : '';
    if (!KEY_ID.test(kid)) {
      errors.push(`entry ${index + 1}: expected kid:secret with a kid of 1-16 of [A-Za-z0-9_-]`);
      return;
    }
    if (keys.some((k) => k.kid === kid)) {
      errors.push(`key "${kid}": listed twice`);
      return;
    }
    keys.push(Object.freeze({ kid, secret: entry.slice(colon + 1) }));
  });
  return errors.length > 0 ? { keys: [], errors } : { keys, errors: [] };
}

function strengthErrors(keys: readonly TrackingKey[], production: boolean, named: boolean): string[] {
  const errors: string[] = [];
  for (const { kid, secret } of keys) {
    const which = named ? `key "${kid}": ` : '';
    if (production && secret === DEV_TRACKING_SECRET)
      errors.push(`${which}is the public development secret; generate one (openssl rand -base64 32)`);
    else if (production && Buffer.byteLength(secret) < MIN_PRODUCTION_SECRET_BYTES)
      errors.push(`${which}must be at least ${MIN_PRODUCTION_SECRET_BYTES} bytes in production`);
    else if (secret.length < MIN_DEVELOPMENT_SECRET_CHARS)
      errors.push(`${which}must be at least ${MIN_DEVELOPMENT_SECRET_CHARS} characters`);
  }
  return errors;
}

const given = (v: string | undefined): string | undefined => (v?.trim() ? v.trim() : undefined);

/**
 * The tracking keys of gateway and worker from their environment: KAIROS_TRACKING_SECRETS (a key
 * list) or KAIROS_TRACKING_SECRET (one key, id `0`). Production (NODE_ENV=production) needs one of
 * them, every secret at least 32 bytes; elsewhere the public development key is the fallback.
 * Errors are `VARIABLE: message` lines.
 */
export function resolveTrackingKeys(env: Readonly<Record<string, string | undefined>>): {
  keys: TrackingKey[];
  errors: string[];
} {
  const list = given(env.KAIROS_TRACKING_SECRETS);
  const single = given(env.KAIROS_TRACKING_SECRET);
  const production = env.NODE_ENV === 'production';
  if (list !== undefined && single !== undefined)
    return { keys: [], errors: ['KAIROS_TRACKING_SECRET: set it or KAIROS_TRACKING_SECRETS, not both'] };
  if (list === undefined && single === undefined)
    return production
      ? {
          keys: [],
          errors: [
            `KAIROS_TRACKING_SECRET: required in production (NODE_ENV=production): a random secret of at least ${MIN_PRODUCTION_SECRET_BYTES} bytes, the same in gateway and worker (openssl rand -base64 32)`,
          ],
        }
      : { keys: singleTrackingKey(DEV_TRACKING_SECRET), errors: [] };
  const name = list !== undefined ? 'KAIROS_TRACKING_SECRETS' : 'KAIROS_TRACKING_SECRET';
  const parsed =
    list !== undefined ? parseTrackingKeys(list) : { keys: singleTrackingKey(single ?? ''), errors: [] };
  const errors = [...parsed.errors, ...strengthErrors(parsed.keys, production, list !== undefined)].map(
    (m) => `${name}: ${m}`,
  );
  return errors.length > 0 ? { keys: [], errors } : { keys: parsed.keys, errors: [] };
}
