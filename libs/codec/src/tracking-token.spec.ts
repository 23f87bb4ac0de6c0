import { signTrackingToken, verifyTrackingToken } from './tracking-token';

const SECRET = 'kairos-test-secret-0001';

describe('tracking tokens', () => {
  it('verifies the shared test vector signed by the worker', () => {
    expect(
      verifyTrackingToken(
        SECRET,
        'eyJkIjoiZDEiLCJ1IjoiaHR0cHM6Ly9zaG9wLmV4YW1wbGUvY2FydD9pZD0xIn0.v1Zx0A9Y4BYTcRKR7-6SVQ',
      ),
    ).toEqual({ deliveryId: 'd1', url: 'https://shop.example/cart?id=1' });
    expect(verifyTrackingToken(SECRET, 'eyJkIjoiZDEifQ.AUmVVLzQDWK0OdiiaqKdPQ')).toEqual({
      deliveryId: 'd1',
      url: null,
    });
  });

  it('refuses forged, re-keyed, truncated and non-http tokens', () => {
    const good = signTrackingToken(SECRET, 'd1', 'https://a.example');
    const [payload, sig] = good.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ d: 'd1', u: 'https://evil.example' })).toString('base64url');
    expect(verifyTrackingToken(SECRET, `${forged}.${sig}`)).toBeNull();
    expect(verifyTrackingToken('another-secret-0000', good)).toBeNull();
    expect(verifyTrackingToken(SECRET, payload)).toBeNull();
    expect(verifyTrackingToken(SECRET, `${payload}.${sig.slice(0, 10)}`)).toBeNull();
    expect(verifyTrackingToken(SECRET, signTrackingToken(SECRET, 'd1', 'javascript:alert(1)'))).toBeNull();
    expect(verifyTrackingToken(SECRET, 'garbage')).toBeNull();
  });
});
