import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a callback's X-Kairos-Timestamp may be from the gateway's clock (replays are refused beyond). */
export const SIGNATURE_TOLERANCE_S = 300;

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;
const TIMESTAMP = /^\d{1,12}$/;

/** `sha256=<hex of HMAC-SHA256(secret, "<timestamp>.<raw body>")>`: the scheme of the worker's provider requests. */
export function signFeedback(secret: string, timestamp: string, rawBody: Buffer | string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
  return `sha256=${mac}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** Verifies a callback's signature headers against its raw body, in constant time. */
export function checkFeedbackSignature(input: {
  secret: string;
  rawBody: Buffer | undefined;
  timestamp: string | string[] | undefined;
  signature: string | string[] | undefined;
  nowMs: number;
}): SignatureCheck {
  const { timestamp, signature } = input;
  if (typeof timestamp !== 'string' || !TIMESTAMP.test(timestamp))
    return { ok: false, reason: 'X-Kairos-Timestamp is missing or not Unix seconds' };
  const given = typeof signature === 'string' ? SIGNATURE.exec(signature.trim()) : null;
  if (!given) return { ok: false, reason: 'X-Kairos-Signature is missing or not "sha256=<64 hex>"' };
  if (Math.abs(input.nowMs / 1000 - Number(timestamp)) > SIGNATURE_TOLERANCE_S)
    return { ok: false, reason: `X-Kairos-Timestamp is more than ${SIGNATURE_TOLERANCE_S} s from now` };
  const expected = Buffer.from(signFeedback(input.secret, timestamp, input.rawBody ?? '').slice(7), 'hex');
  const presented = Buffer.from(given[1]!, 'hex');
  if (!timingSafeEqual(expected, presented))
    return { ok: false, reason: 'X-Kairos-Signature does not match the body' };
  return { ok: true };
}
