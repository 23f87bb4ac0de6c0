import { createHmac } from 'node:crypto';
import { DEV_TRACKING_SECRET } from './tracking-keys';
import { signTrackingToken, verifyTrackingToken } from './tracking-token';

const SECRET = 'kairos-test-secret-0001';
const OLD = { kid: 'k1', secret: 'kairos-old-secret-0000000000000001' };
const NEW = { kid: 'k2', secret: 'kairos-new-secret-0000000000000002' };

describe('tracking tokens', () => {
  it('verifies the shared test vector (signature computed with openssl, key id 0 for a single secret)', () => {
    // printf '%s' '0.eyJkIjoiZDEifQ' | openssl dgst -sha256 -hmac kairos-test-secret-0001 -binary | head -c 16
    expect(signTrackingToken(SECRET, 'd1')).toBe('0.eyJkIjoiZDEifQ.Y_6jItupu6HtsF-7nFKSKg');
    expect(
      verifyTrackingToken(
        SECRET,
        '0.eyJkIjoiZDEiLCJ1IjoiaHR0cHM6Ly9zaG9wLmV4YW1wbGUvY2FydD9pZD0xIn0.x5RmXsYbaFzC6m30vOFmJg',
      ),
    ).toEqual({ deliveryId: 'd1', url: 'https://shop.example/cart?id=1' });
    expect(verifyTrackingToken(SECRET, '0.eyJkIjoiZDEifQ.Y_6jItupu6HtsF-7nFKSKg')).toEqual({
      deliveryId: 'd1',
      url: null,
    });
  });

  it('signs with the first key and verifies with every key of the list (rotation keeps sent links)', () => {
    const before = signTrackingToken([OLD], 'd1', 'https://a.example/x');
    const after = signTrackingToken([NEW, OLD], 'd2', 'https://a.example/y');
    expect(before.startsWith('k1.')).toBe(true);
    expect(after.startsWith('k2.')).toBe(true);
    expect(verifyTrackingToken([NEW, OLD], before)).toEqual({ deliveryId: 'd1', url: 'https://a.example/x' });
    expect(verifyTrackingToken([NEW, OLD], after)).toEqual({ deliveryId: 'd2', url: 'https://a.example/y' });
    // Once the old key is retired, its links stop verifying; the new ones keep working.
    expect(verifyTrackingToken([NEW], before)).toBeNull();
    expect(verifyTrackingToken([NEW], after)).not.toBeNull();
    expect(() => signTrackingToken([], 'd1')).toThrow(/no key/);
  });

  it('refuses forged, re-keyed, re-labelled, truncated and non-http tokens', () => {
    const good = signTrackingToken(SECRET, 'd1', 'https://a.example');
    const [kid, payload, sig] = good.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ d: 'd1', u: 'https://evil.example' })).toString('base64url');
    expect(verifyTrackingToken(SECRET, `${kid}.${forged}.${sig}`)).toBeNull();
    expect(verifyTrackingToken('another-secret-0000', good)).toBeNull();
    // The key id is signed too: the same signature under another key id is not accepted.
    expect(verifyTrackingToken([{ kid: 'x', secret: SECRET }, OLD], `x.${payload}.${sig}`)).toBeNull();
    expect(verifyTrackingToken(SECRET, `${kid}.${payload}`)).toBeNull();
    expect(verifyTrackingToken(SECRET, `${kid}.${payload}.${sig.slice(0, 10)}`)).toBeNull();
    expect(verifyTrackingToken(SECRET, signTrackingToken(SECRET, 'd1', 'javascript:alert(1)'))).toBeNull();
    expect(verifyTrackingToken(SECRET, 'garbage')).toBeNull();
    expect(verifyTrackingToken(SECRET, `${'a'.repeat(4096)}.b.c`)).toBeNull();
  });

  it('still verifies links sent before key ids (`<payload>.<signature>`) while their key is listed', () => {
    // The previous format signed the payload alone: HMAC-SHA256(secret, payload), first 16 bytes.
    const payload = Buffer.from(JSON.stringify({ d: 'd0', u: 'https://shop.example/a' })).toString(
      'base64url',
    );
    const sig = (secret: string) =>
      createHmac('sha256', secret).update(payload).digest().subarray(0, 16).toString('base64url');
    expect(verifyTrackingToken([NEW, OLD], `${payload}.${sig(OLD.secret)}`)).toEqual({
      deliveryId: 'd0',
      url: 'https://shop.example/a',
    });
    expect(verifyTrackingToken([NEW], `${payload}.${sig(OLD.secret)}`)).toBeNull();
    expect(verifyTrackingToken([NEW], `${payload}.${sig(OLD.secret).slice(0, 8)}`)).toBeNull();
  });

  it('refuses a token forged with the public development key when a real key is configured', () => {
    const forged = signTrackingToken(DEV_TRACKING_SECRET, 'made-up-delivery', 'https://evil.example/phish');
    expect(verifyTrackingToken([NEW, OLD], forged)).toBeNull();
    expect(verifyTrackingToken('a-real-secret-of-at-least-32-bytes!!', forged)).toBeNull();
  });
});
