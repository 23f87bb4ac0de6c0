import { signTrackingToken } from '@kairos/codec';
import { insertTracking } from './tracking';

const opts = { publicUrl: 'https://kairos.example/', secret: 'kairos-test-secret-0001' };
const decode = (link: string) => {
  const token = link.split('/t/c/')[1]!;
  return JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { d: string; u: string };
};

describe('tracking links', () => {
  it('signs tokens exactly as the gateway verifies them (shared test vector)', () => {
    expect(signTrackingToken(opts.secret, 'd1', 'https://shop.example/cart?id=1')).toBe(
      'eyJkIjoiZDEiLCJ1IjoiaHR0cHM6Ly9zaG9wLmV4YW1wbGUvY2FydD9pZD0xIn0.v1Zx0A9Y4BYTcRKR7-6SVQ',
    );
    expect(signTrackingToken(opts.secret, 'd1')).toBe('eyJkIjoiZDEifQ.AUmVVLzQDWK0OdiiaqKdPQ');
  });

  it('rewrites every link of a text message to a signed click link, keeping sentence punctuation', () => {
    const out = insertTracking(
      'Your cart: https://shop.example/cart?id=1. Or http://x.io/a)',
      'sms',
      'd1',
      opts,
    );
    const links = out.match(/https:\/\/kairos\.example\/t\/c\/[A-Za-z0-9_.-]+/g) ?? [];
    expect(links).toHaveLength(2);
    expect(decode(links[0]!)).toEqual({ d: 'd1', u: 'https://shop.example/cart?id=1' });
    expect(decode(links[1]!)).toEqual({ d: 'd1', u: 'http://x.io/a' });
    expect(out).toMatch(
      /^Your cart: https:\/\/kairos\.example\/t\/c\/\S+\. Or https:\/\/kairos\.example\/t\/c\/\S+\)$/,
    );
    expect(out).not.toContain('/t/o/');
  });

  it('adds an open pixel before </body> of an HTML email and unescapes &amp; in targets', () => {
    const html = '<html><body><a href="https://shop.example/p?a=1&amp;b=2">Buy</a></body></html>';
    const out = insertTracking(html, 'email', 'd9', opts);
    expect(decode(/href="([^"]+)"/.exec(out)![1]!)).toEqual({ d: 'd9', u: 'https://shop.example/p?a=1&b=2' });
    expect(out).toMatch(
      /<img src="https:\/\/kairos\.example\/t\/o\/[^"]+" width="1" height="1"[^>]*><\/body><\/html>$/,
    );
  });

  it('leaves plain-text email without a pixel and is idempotent', () => {
    const text = 'Hi, see https://shop.example/cart';
    const once = insertTracking(text, 'email', 'd2', opts);
    expect(once).not.toContain('<img');
    expect(insertTracking(once, 'email', 'd2', opts)).toBe(once);
    const html = insertTracking('<p>https://a.example</p>', 'email', 'd3', opts);
    expect(insertTracking(html, 'email', 'd3', opts)).toBe(html);
    expect(insertTracking('no links here', 'push', 'd4', opts)).toBe('no links here');
  });
});
