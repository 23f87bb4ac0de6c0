import { createHmac, timingSafeEqual } from 'node:crypto';
import { singleTrackingKey, type TrackingKey } from './tracking-keys';

/**
 * Tracking tokens: `<kid>.<payload>.<signature>`. The kid names the key that signed the token, so
 * a rotated key list still verifies links sent before the rotation; the payload is base64url JSON
 * `{d, u?}` (the delivery id and, for click links, the target URL); the signature is the first 16
 * bytes of HMAC-SHA256(secret, `<kid>.<payload>`), base64url. The worker signs them into rendered
 * messages and the gateway verifies them, both with this one module.
 */
export type TrackingClaims = { deliveryId: string; url: string | null };

/** A key list (the first signs, all verify), or one secret (the key list `0:<secret>`). */
export type TrackingSecrets = string | readonly TrackingKey[];

const b64 = (b: Buffer): string => b.toString('base64url');
const keyList = (secrets: TrackingSecrets): readonly TrackingKey[] =>
  typeof secrets === 'string' ? singleTrackingKey(secrets) : secrets;

function mac(secret: string, signed: string): Buffer {
  return createHmac('sha256', secret).update(signed).digest().subarray(0, 16);
}

/** Signs a tracking token for a delivery (and, for click links, the target URL) with the first key. */
export function signTrackingToken(secrets: TrackingSecrets, deliveryId: string, url?: string): string {
  const key = keyList(secrets)[0];
  if (!key) throw new Error('KAIROS_TRACKING_KEYS: no key to sign tracking links with');
  const payload = b64(
    Buffer.from(JSON.stringify(url === undefined ? { d: deliveryId } : { d: deliveryId, u: url })),
  );
  const signed = `${key.kid}.${payload}`;
  return `${signed}.${b64(mac(key.secret, signed))}`;
}

function parseClaims(payload: string): TrackingClaims | null {
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      d?: unknown;
      u?: unknown;
    };
    if (typeof claims.d !== 'string' || claims.d.length === 0) return null;
    if (claims.u !== undefined && (typeof claims.u !== 'string' || !/^https?:\/\//i.test(claims.u)))
      return null;
    return { deliveryId: claims.d, url: typeof claims.u === 'string' ? claims.u : null };
  } catch {
    return null;
  }
}

/** The claims of a genuine token, or null (forged, unknown key, truncated, or not a token at all). */
export function verifyTrackingToken(secrets: TrackingSecrets, token: string): TrackingClaims | null {
  if (token.length > 4096) return null;
  const parts = token.split('.');
  if (parts.length === 2) return verifyLegacy(keyList(secrets), parts[0] as string, parts[1] as string);
  if (parts.length !== 3) return null;
  const [kid, payload, signature] = parts as [string, string, string];
  const key = keyList(secrets).find((k) => k.kid === kid);
  if (!key || payload.length === 0) return null;
  return matches(signature, mac(key.secret, `${kid}.${payload}`)) ? parseClaims(payload) : null;
}

// Links sent before key ids existed are `<payload>.<signature>` signed over the payload alone:
// they keep working as long as the key that signed them is still in the list.
function verifyLegacy(
  keys: readonly TrackingKey[],
  payload: string,
  signature: string,
): TrackingClaims | null {
  if (payload.length === 0) return null;
  return keys.some((k) => matches(signature, mac(k.secret, payload))) ? parseClaims(payload) : null;
}

function matches(signature: string, expected: Buffer): boolean {
  const given = Buffer.from(signature, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
