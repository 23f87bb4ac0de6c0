import { DEV_TRACKING_SECRET, parseTrackingKeys, resolveTrackingKeys } from './tracking-keys';

const STRONG = 'x'.repeat(32);
const STRONG2 = 'y'.repeat(44);

describe('tracking keys from the environment', () => {
  it('falls back to the public development key outside production only', () => {
    expect(resolveTrackingKeys({})).toEqual({
      keys: [{ kid: '0', secret: DEV_TRACKING_SECRET }],
      errors: [],
    });
    const prod = resolveTrackingKeys({ NODE_ENV: 'production' });
    expect(prod.keys).toEqual([]);
    expect(prod.errors).toEqual([expect.stringMatching(/^KAIROS_TRACKING_SECRET: required in production/)]);
  });

  it('takes KAIROS_TRACKING_SECRET as the single key `0` and a list in order (first signs)', () => {
    expect(resolveTrackingKeys({ KAIROS_TRACKING_SECRET: STRONG, NODE_ENV: 'production' }).keys).toEqual([
      { kid: '0', secret: STRONG },
    ]);
    expect(
      resolveTrackingKeys({ KAIROS_TRACKING_SECRETS: `k2:${STRONG2}, 0:${STRONG}`, NODE_ENV: 'production' })
        .keys,
    ).toEqual([
      { kid: 'k2', secret: STRONG2 },
      { kid: '0', secret: STRONG },
    ]);
    // A secret may itself contain colons: only the first one separates the key id.
    expect(parseTrackingKeys('a:b:c:d').keys).toEqual([{ kid: 'a', secret: 'b:c:d' }]);
  });

  it('refuses short, development and malformed secrets in production, naming the variable and key', () => {
    expect(
      resolveTrackingKeys({ KAIROS_TRACKING_SECRET: 'x'.repeat(31), NODE_ENV: 'production' }).errors,
    ).toEqual(['KAIROS_TRACKING_SECRET: must be at least 32 bytes in production']);
    expect(
      resolveTrackingKeys({ KAIROS_TRACKING_SECRET: DEV_TRACKING_SECRET, NODE_ENV: 'production' }).errors,
    ).toEqual([expect.stringMatching(/public development secret/)]);
    expect(
      resolveTrackingKeys({
        KAIROS_TRACKING_SECRETS: `k2:${STRONG2},k1:short-one-of-20chars`,
        NODE_ENV: 'production',
      }).errors,
    ).toEqual(['KAIROS_TRACKING_SECRETS: key "k1": must be at least 32 bytes in production']);
    expect(
      resolveTrackingKeys({ KAIROS_TRACKING_SECRETS: `a.b:${STRONG},k:${STRONG},k:${STRONG}` }).errors,
    ).toEqual([
      'KAIROS_TRACKING_SECRETS: entry 1: expected kid:secret with a kid of 1-16 of [A-Za-z0-9_-]',
      'KAIROS_TRACKING_SECRETS: key "k": listed twice',
    ]);
    expect(resolveTrackingKeys({ KAIROS_TRACKING_SECRETS: ' , ' }).errors).toEqual([
      'KAIROS_TRACKING_SECRETS: must list at least one key as kid:secret',
    ]);
    expect(
      resolveTrackingKeys({ KAIROS_TRACKING_SECRET: STRONG, KAIROS_TRACKING_SECRETS: `a:${STRONG}` }).errors,
    ).toEqual(['KAIROS_TRACKING_SECRET: set it or KAIROS_TRACKING_SECRETS, not both']);
  });

  it('keeps the 16-character minimum outside production', () => {
    expect(resolveTrackingKeys({ KAIROS_TRACKING_SECRET: 'short' }).errors).toEqual([
      'KAIROS_TRACKING_SECRET: must be at least 16 characters',
    ]);
    expect(resolveTrackingKeys({ KAIROS_TRACKING_SECRET: 'sixteen-chars-ok' }).errors).toEqual([]);
  });
});
