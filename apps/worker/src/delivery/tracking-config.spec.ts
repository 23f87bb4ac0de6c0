import { loadWorkerConfig } from '../config';

const DATABASE_URL = 'postgres://kairos:kairos@127.0.0.1:5432/kairos';
const STRONG = 'worker-tracking-secret-of-32-bytes!!';

describe('worker config: tracking keys', () => {
  it('refuses to start in production without a tracking secret, or with one under 32 bytes', () => {
    expect(() => loadWorkerConfig({ DATABASE_URL, NODE_ENV: 'production' })).toThrow(
      /invalid worker environment:\n {2}KAIROS_TRACKING_SECRET: required in production/,
    );
    expect(() =>
      loadWorkerConfig({
        DATABASE_URL,
        NODE_ENV: 'production',
        KAIROS_TRACKING_SECRET: 'kairos-dev-tracking-secret',
      }),
    ).toThrow(/KAIROS_TRACKING_SECRET: is the public development secret/);
  });

  it('signs with the first key of KAIROS_TRACKING_SECRETS; the development key only outside production', () => {
    const config = loadWorkerConfig({
      DATABASE_URL,
      NODE_ENV: 'production',
      KAIROS_TRACKING_SECRETS: `k2:${STRONG}2,k1:${STRONG}`,
    });
    expect(config.trackingKeys.map((k) => k.kid)).toEqual(['k2', 'k1']);
    expect(loadWorkerConfig({ DATABASE_URL }).trackingKeys).toEqual([
      { kid: '0', secret: 'kairos-dev-tracking-secret' },
    ]);
  });
});
