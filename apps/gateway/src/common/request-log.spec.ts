import { loggableUrl, serializeRequest } from './request-log';

describe('loggableUrl', () => {
  it('keeps the names of query parameters and drops every value', () => {
    expect(loggableUrl('/dashboard?key=kairos_ab_secret&from=2026-01-01', '/dashboard')).toBe(
      '/dashboard?key=[redacted]&from=[redacted]',
    );
    expect(loggableUrl('/v1/reports/roi?', '/v1/reports/roi')).toBe('/v1/reports/roi');
    expect(loggableUrl('/x?flag&&a=1')).toBe('/x?flag=[redacted]&&a=[redacted]');
  });

  it('replaces path parameters named like secrets, keeps the others', () => {
    expect(loggableUrl('/t/c/eyJkIjoiZDEifQ.c2ln', '/t/c/:token')).toBe('/t/c/[redacted]');
    expect(loggableUrl('/v1/customers/c_42/journey', '/v1/customers/:customerId/journey')).toBe(
      '/v1/customers/c_42/journey',
    );
  });

  it('falls back to the route pattern when the path does not line up with it', () => {
    expect(loggableUrl('/t/c/a/b', '/t/c/:token')).toBe('/t/c/:token');
  });

  it('keeps the path of a URL no route matched (it reached no handler)', () => {
    expect(loggableUrl('/nope/here?api_key=s3cret')).toBe('/nope/here?api_key=[redacted]');
  });
});

describe('serializeRequest', () => {
  it('writes id, method and the loggable URL only', () => {
    const req = {
      id: 'r1',
      method: 'GET',
      url: '/t/o/tok?key=k',
      routeOptions: { url: '/t/o/:token' },
      headers: { authorization: 'Bearer x' },
    };
    expect(serializeRequest(req)).toEqual({ id: 'r1', method: 'GET', url: '/t/o/[redacted]?key=[redacted]' });
  });
});
