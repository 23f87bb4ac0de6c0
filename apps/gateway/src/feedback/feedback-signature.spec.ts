import { createHmac } from 'node:crypto';
import { checkFeedbackSignature, signFeedback, SIGNATURE_TOLERANCE_S } from './feedback-signature';

const SECRET = 'provider-callback-secret-0123456789';
const BODY = Buffer.from('{"deliveryId":"d1","type":"opened","at":"2026-11-24T10:00:00Z"}');
const NOW = Date.parse('2026-11-24T10:00:05Z');
const TS = String(Math.floor(NOW / 1000));

const check = (over: Partial<Parameters<typeof checkFeedbackSignature>[0]>) =>
  checkFeedbackSignature({
    secret: SECRET,
    rawBody: BODY,
    timestamp: TS,
    signature: signFeedback(SECRET, TS, BODY),
    nowMs: NOW,
    ...over,
  });

describe('feedback signatures', () => {
  it('signs "<timestamp>.<body>" with HMAC-SHA256, as the worker signs provider requests', () => {
    const expected = createHmac('sha256', SECRET).update(`${TS}.${BODY.toString()}`).digest('hex');
    expect(signFeedback(SECRET, TS, BODY)).toBe(`sha256=${expected}`);
  });

  it('accepts the right signature (hex case and whitespace ignored)', () => {
    expect(check({})).toEqual({ ok: true });
    expect(
      check({ signature: ` ${signFeedback(SECRET, TS, BODY).toUpperCase().replace('SHA256', 'sha256')} ` }),
    ).toEqual({
      ok: true,
    });
  });

  it('refuses a missing, malformed or wrong signature, another body, another secret', () => {
    expect(check({ signature: undefined })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/missing/),
    });
    expect(check({ signature: 'sha1=abc' })).toMatchObject({ ok: false });
    expect(check({ signature: ['a', 'b'] })).toMatchObject({ ok: false });
    expect(check({ rawBody: Buffer.from(`${BODY.toString()} `) })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/does not match/),
    });
    expect(check({ signature: signFeedback('another-secret-another-secret-00', TS, BODY) })).toMatchObject({
      ok: false,
    });
    expect(check({ rawBody: undefined })).toMatchObject({ ok: false });
  });

  it('refuses a missing timestamp and one outside the replay window', () => {
    expect(check({ timestamp: undefined })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/Timestamp/),
    });
    const old = String(Number(TS) - SIGNATURE_TOLERANCE_S - 1);
    expect(check({ timestamp: old, signature: signFeedback(SECRET, old, BODY) })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/300 s/),
    });
    const edge = String(Number(TS) - SIGNATURE_TOLERANCE_S + 5);
    expect(check({ timestamp: edge, signature: signFeedback(SECRET, edge, BODY) })).toEqual({ ok: true });
  });
});
