import { loadGatewayConfig } from '../config';

const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/kairos' };
const STRONG = 'gateway-tracking-secret-of-32-bytes!';

describe('gateway config: tracking keys', () => {
  it('refuses to start in production without a tracking secret, or with one under 32 bytes', () => {
    expect(() => loadGatewayConfig({ ...base, NODE_ENV: 'production' })).toThrow(
      /invalid gateway environment:\n {2}KAIROS_TRACKING_SECRET: required in production/,
    );
    expect(() =>
      loadGatewayConfig({ ...base, NODE_ENV: 'production', KAIROS_TRACKING_SECRET: 'x'.repeat(31) }),
    ).toThrow(/KAIROS_TRACKING_SECRET: must be at least 32 bytes in production/);
    expect(() =>
      loadGatewayConfig({
        ...base,
        NODE_ENV: 'production',
        KAIROS_TRACKING_SECRETS: `new:${STRONG},old:short-old-key-20ch`,
      }),
    ).toThrow(/KAIROS_TRACKING_SECRETS: key "old": must be at least 32 bytes in production/);
  });

  it('loads a production secret, or a rotated key list with the signing key first', () => {
    expect(
      loadGatewayConfig({ ...base, NODE_ENV: 'production', KAIROS_TRACKING_SECRET: STRONG }).trackingKeys,
    ).toEqual([{ kid: '0', secret: STRONG }]);
    const rotated = `k2:${STRONG}2,0:${STRONG}`;
    expect(
      loadGatewayConfig({
        ...base,
        NODE_ENV: 'production',
        KAIROS_TRACKING_SECRETS: rotated,
      }).trackingKeys?.map((k) => k.kid),
    ).toEqual(['k2', '0']);
  });

  it('lists a tracking key problem together with the other invalid keys', () => {
    expect(() => loadGatewayConfig({ DATABASE_URL: 'mysql://x', NODE_ENV: 'production' })).toThrow(
      /DATABASE_URL[\s\S]*KAIROS_TRACKING_SECRET: required in production/,
    );
  });
});
