import { renderProblem } from '../common/problem.filter';
import { DEFAULT_LIMITS, loadGatewayConfig } from '../config';
import { rateLimited } from './rate-limit.problem';

const DATABASE_URL = 'postgres://u:p@localhost:5432/kairos';

describe('limits: configuration and the 429 answer', () => {
  it('defaults to the documented, generous limits; 0 turns one off', () => {
    expect(loadGatewayConfig({ DATABASE_URL })).toMatchObject({
      rateLimitPerMin: 600,
      rateLimitPerKeyPerMin: 60_000,
      rateLimitGlobalPerMin: 600_000,
      newJourneysPerMin: 60_000,
      volumeUnknownNamesPerMin: 100,
    });
    expect(DEFAULT_LIMITS).toEqual({
      perKeyPerMin: 60_000,
      globalPerMin: 600_000,
      newJourneysPerMin: 60_000,
      unknownNamesPerMin: 100,
    });
    const off = loadGatewayConfig({
      DATABASE_URL,
      KAIROS_RATE_LIMIT_PER_KEY_PER_MIN: '0',
      KAIROS_RATE_LIMIT_GLOBAL_PER_MIN: '0',
      KAIROS_NEW_JOURNEYS_PER_MIN: '0',
    });
    expect(off).toMatchObject({ rateLimitPerKeyPerMin: 0, rateLimitGlobalPerMin: 0, newJourneysPerMin: 0 });
    expect(() => loadGatewayConfig({ DATABASE_URL, KAIROS_NEW_JOURNEYS_PER_MIN: '-1' })).toThrow(
      /KAIROS_NEW_JOURNEYS_PER_MIN/,
    );
  });

  it('answers 429 rate-limited with Retry-After in whole seconds and the limit named in the body', () => {
    const rendered = renderProblem(rateLimited('key', 100, 1_200, 'key_1'));
    expect(rendered.status).toBe(429);
    expect(rendered.headers).toEqual({ 'retry-after': '2' });
    expect(rendered.body).toMatchObject({
      type: 'https://kairos.dev/problems/rate-limited',
      status: 429,
      limit: 'key',
      limitPerMin: 100,
    });
    expect(rendered.body.detail).toMatch(/key_1.*100 events per minute.*retry after 2 s/);
    // Never less than one second, even at the very end of a window.
    expect(renderProblem(rateLimited('global', 5, 0)).headers['retry-after']).toBe('1');
  });
});
