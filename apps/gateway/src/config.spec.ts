import { DEFAULT_TRIGGERS_DIR, loadGatewayConfig } from './config';

describe('gateway config', () => {
  it('fills defaults from a minimal environment', () => {
    const config = loadGatewayConfig({ DATABASE_URL: 'postgres://u:p@localhost:5432/kairos' });
    expect(config).toMatchObject({
      port: 3000,
      triggersDir: DEFAULT_TRIGGERS_DIR,
      rateLimitPerMin: 600,
      temporalTimeoutMs: 5000,
      retryAfterS: 5,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('lists every invalid key at once', () => {
    expect(() =>
      loadGatewayConfig({ DATABASE_URL: 'mysql://x', KAIROS_RATE_LIMIT_PER_MIN: '0', PORT: 'abc' }),
    ).toThrow(/DATABASE_URL[\s\S]*KAIROS_RATE_LIMIT_PER_MIN|KAIROS_RATE_LIMIT_PER_MIN[\s\S]*DATABASE_URL/);
    try {
      loadGatewayConfig({ DATABASE_URL: 'mysql://x', KAIROS_RATE_LIMIT_PER_MIN: '0', PORT: 'abc' });
    } catch (err) {
      expect(String(err)).toMatch(/PORT/);
    }
  });
});
