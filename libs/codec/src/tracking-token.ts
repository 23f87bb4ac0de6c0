import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Tracking tokens: `<payload>.<signature>`, both base64url; the payload is JSON `{d, u?}` (the
 * delivery id and, for click links, the target URL); the signature is the first 16 bytes of
 * HMAC-SHA256(secret, payload). The worker signs them into rendered messages and the gateway
 * verifies them, both with this one module.
 */
/** Development-only signing key; set KAIROS_TRACKING_SECRET to the same value in gateway and worker. */
export const DEV_TRACKING_SECRET = 'kairos-dev-tracking-secret';

export type TrackingClaims = { deliveryId: string; url: string | null };

const b64 = (b: Buffer): string => b.toString('base64url');

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest().subarray(0, 16);
}

/** Signs a tracking token for a delivery (and, for click links, the target URL). */
export function signTrackingToken(secret: string, deliveryId: string, url?: string): string {
  const payload = b64(
    Buffer.from(JSON.stringify(url === undefined ? { d: deliveryId } : { d: deliveryId, u: url })),
  );
  return `${payload}.${b64(mac(secret, payload))}`;
}

/** The claims of a genuine token, or null (forged, truncated, or not a token at all). */
export function verifyTrackingToken(secret: string, token: string): TrackingClaims | null {
  if (token.length > 4096) return null;
  const dot = token.indexOf('.');
  if (dot <= 0) return null;
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = mac(secret, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
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
