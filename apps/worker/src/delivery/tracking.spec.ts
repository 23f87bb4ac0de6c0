import { signTrackingToken, singleTrackingKey, verifyTrackingToken } from '@kairos/codec';
import { renderTemplate } from './template';

const keys = singleTrackingKey('kairos-test-secret-0001');
const tracking = { publicUrl: 'https://kairos.example/', keys, deliveryId: 'd1' };
const LINK = /https:\/\/kairos\.example\/t\/c\/[A-Za-z0-9_.-]+/g;
const links = (body: string): string[] => body.match(LINK) ?? [];
const decode = (link: string) => verifyTrackingToken(keys, link.split('/t/c/')[1]!.replace(/\.$/, ''));
const render = async (body: string, channel: string, context: Record<string, unknown> = {}) =>
  (await renderTemplate(`---\nsubject: s\n---\n${body}`, channel, context, tracking)).body;

describe('tracking links', () => {
  it('signs tokens exactly as the gateway verifies them (shared test vector, key id 0)', () => {
    expect(signTrackingToken(keys, 'd1', 'https://shop.example/cart?id=1')).toBe(
      '0.eyJkIjoiZDEiLCJ1IjoiaHR0cHM6Ly9zaG9wLmV4YW1wbGUvY2FydD9pZD0xIn0.x5RmXsYbaFzC6m30vOFmJg',
    );
    expect(signTrackingToken(keys, 'd1')).toBe('0.eyJkIjoiZDEifQ.Y_6jItupu6HtsF-7nFKSKg');
  });

  it('rewrites every link written in a text template to a signed click link, keeping sentence punctuation', async () => {
    const out = await render('Your cart: https://shop.example/cart?id=1. Or http://x.io/a)', 'sms');
    const found = links(out);
    expect(found).toHaveLength(2);
    expect(decode(found[0]!)).toEqual({ deliveryId: 'd1', url: 'https://shop.example/cart?id=1' });
    expect(decode(found[1]!)).toEqual({ deliveryId: 'd1', url: 'http://x.io/a' });
    expect(out).toMatch(
      /^Your cart: https:\/\/kairos\.example\/t\/c\/\S+\. Or https:\/\/kairos\.example\/t\/c\/\S+\)$/,
    );
    expect(out).not.toContain('/t/o/');
  });

  it('adds an open pixel before </body> of an HTML email and unescapes &amp; in targets', async () => {
    const out = await render(
      '<html><body><a href="https://shop.example/p?a=1&amp;b=2">Buy</a></body></html>',
      'email',
    );
    expect(decode(/href="([^"]+)"/.exec(out)![1]!)).toEqual({
      deliveryId: 'd1',
      url: 'https://shop.example/p?a=1&b=2',
    });
    expect(out).toMatch(
      /<img src="https:\/\/kairos\.example\/t\/o\/0\.[^"]+" width="1" height="1"[^>]*><\/body><\/html>$/,
    );
  });

  it('gives a plain-text email no pixel and leaves links already pointing at the gateway alone', async () => {
    const text = await render('Hi, see https://shop.example/cart', 'email');
    expect(text).not.toContain('<img');
    expect(links(text)).toHaveLength(1);
    const own = 'Unsubscribe: https://kairos.example/t/c/0.x.y';
    expect(await render(own, 'push')).toBe(own);
    expect(await render('no links here', 'push')).toBe('no links here');
  });

  it('never tracks a URL that came from event properties or profile attributes', async () => {
    const out = await render(
      '<p><a href="https://shop.example/cart">Cart</a> {{ e.properties.link }} <a href="{{ profile.attributes.site }}">Site</a> {{ "https://tag.example/x" }}</p>',
      'email',
      {
        e: { properties: { link: 'https://evil.example/phish' } },
        profile: { attributes: { site: 'https://evil.example/site' } },
      },
    );
    expect(links(out).map((l) => decode(l)?.url)).toEqual(['https://shop.example/cart']);
    expect(out).toContain('https://evil.example/phish <a href="https://evil.example/site">Site</a>');
    expect(out).toContain('https://tag.example/x');
  });

  it('tracks a template link that data completes only while it keeps the scheme and host the template wrote', async () => {
    const body = [
      '<a href="https://shop.example/cart/{{ e.id }}">a</a>',
      '<a href="https://shop.example{{ e.tail }}">b</a>',
      '<a href="https://shop.example{{ e.sub }}">c</a>',
    ].join('\n');
    const out = await render(body, 'email', {
      e: { id: '42?x=1&y="2"', tail: '@evil.example/phish', sub: '.evil.example/phish' },
    });
    expect(links(out).map((l) => decode(l)?.url)).toEqual(['https://shop.example/cart/42?x=1&y=%222%22']);
    expect(out).toContain('href="https://shop.example@evil.example/phish"');
    expect(out).toContain('href="https://shop.example.evil.example/phish"');
  });

  it('cannot be fooled by data imitating the link marker', async () => {
    const fake = '\uE000000000000000000000:0\uE001https://evil.example/phish';
    const out = await render('Go https://shop.example/a then {{ e.x }}', 'sms', { e: { x: fake } });
    expect(links(out).map((l) => decode(l)?.url)).toEqual(['https://shop.example/a']);
    expect(out.endsWith(`then ${fake}`)).toBe(true);
  });

  it('signs with the first of rotated keys', async () => {
    const rotated = [
      { kid: 'k2', secret: 'kairos-new-secret-000000000002' },
      { kid: 'k1', secret: 'kairos-old-secret-000000000001' },
    ];
    const { body } = await renderTemplate(
      'https://shop.example/x',
      'sms',
      {},
      { ...tracking, keys: rotated },
    );
    const token = body.split('/t/c/')[1]!;
    expect(token.startsWith('k2.')).toBe(true);
    expect(verifyTrackingToken(rotated, token)).toEqual({ deliveryId: 'd1', url: 'https://shop.example/x' });
  });
});
