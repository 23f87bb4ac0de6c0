import { createHmac, randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../test/support/temporal-env';
import { http, startTestGateway, type RunningGateway } from '@kairos/testing';

const SIGNING_SECRET = 'provider-callbacks-signing-secret-0123456789';

/** What a provider does: HMAC-SHA256 of "<unix seconds>.<raw body>", hex, in X-Kairos-Signature. */
function signed(body: string, secret = SIGNING_SECRET, at = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(at / 1000));
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return { 'x-kairos-timestamp': timestamp, 'x-kairos-signature': `sha256=${mac}` };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !check(); i += 1) await new Promise((r) => setTimeout(r, 20));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('keys and logs (real Postgres, real Temporal test server)', () => {
  let env: TestWorkflowEnvironment;
  let gw: RunningGateway;
  let signedGw: RunningGateway;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    gw = await startTestGateway(
      { databaseUrl: testDatabaseUrl(), temporalAddress: env.address },
      { captureLog: true },
    );
    signedGw = await startTestGateway({
      databaseUrl: testDatabaseUrl(),
      temporalAddress: env.address,
      feedbackSigningSecret: SIGNING_SECRET,
    });
  });

  afterAll(async () => {
    await gw?.close();
    await signedGw?.close();
    await env?.teardown();
  });

  it('writes no API key and no tracking token into the request log', async () => {
    const key = await gw.key(['reports:read']);
    const token = `tok${randomUUID().replace(/-/g, '')}`;
    const before = gw.logLines.length;
    const asked: [string, string][] = [
      ['GET', `/dashboard?key=${key}&from=2026-01-01T00:00:00Z`],
      ['GET', `/v1/reports/volume?key=${key}`],
      ['GET', `/t/o/${token}`],
      ['GET', `/t/c/${token}?key=${key}`],
      ['GET', `/no/such/route?api_key=${key}`],
    ];
    for (const [method, path] of asked) await http(gw.url, method, path);
    await http(gw.url, 'GET', '/v1/reports/volume', { key });
    await until(() => gw.logLines.length >= before + asked.length + 1, 'the request lines');
    const lines = gw.logLines.slice(before).join('');
    expect(lines).not.toContain(key);
    expect(lines).not.toContain(key.split('_').pop());
    expect(lines).not.toContain(token);
    const urls = gw.logLines
      .slice(before)
      .map((l) => JSON.parse(l) as { msg: string; url?: string })
      .filter((l) => l.msg === 'request')
      .map((l) => l.url);
    expect(urls).toEqual([
      '/dashboard?key=[redacted]&from=[redacted]',
      '/v1/reports/volume?key=[redacted]',
      '/t/o/[redacted]',
      '/t/c/[redacted]?key=[redacted]',
      '/no/such/route?api_key=[redacted]',
      '/v1/reports/volume',
    ]);
  });

  describe('POST /v1/feedback with KAIROS_FEEDBACK_SIGNING_SECRET set', () => {
    const callback = () =>
      JSON.stringify({
        deliveryId: `d_${randomUUID().slice(0, 8)}`,
        type: 'opened',
        at: '2026-11-24T10:00:00Z',
      });

    it('accepts a callback signed over its raw body', async () => {
      const key = await signedGw.key(['feedback:write']);
      // Spacing a re-serialised body would lose: the signature covers the bytes as sent.
      const body = callback().replace(',', ' ,  ');
      const res = await http(signedGw.url, 'POST', '/v1/feedback', { key, raw: body, headers: signed(body) });
      expect(res.status).toBe(202);
      expect(res.body.status).toBe('accepted');
    });

    it('401 for a missing, wrong, replayed-too-late or other-secret signature, before the body is read', async () => {
      const key = await signedGw.key(['feedback:write']);
      const body = callback();
      const tries: [string, Record<string, string>][] = [
        ['missing', {}],
        ['other body', signed(`${body} `)],
        ['other secret', signed(body, 'not-the-signing-secret-not-the-signing')],
        ['ten minutes old', signed(body, SIGNING_SECRET, Date.now() - 600_000)],
        ['malformed', { ...signed(body), 'x-kairos-signature': 'sha256=zz' }],
      ];
      for (const [what, headers] of tries) {
        const res = await http(signedGw.url, 'POST', '/v1/feedback', { key, raw: body, headers });
        expect({ what, status: res.status, type: res.body.type }).toEqual({
          what,
          status: 401,
          type: 'https://kairos.dev/problems/invalid-signature',
        });
      }
      // Even an invalid body is refused for its signature first: nothing about it is revealed.
      const junk = '{"deliveryId":""}';
      expect((await http(signedGw.url, 'POST', '/v1/feedback', { key, raw: junk })).status).toBe(401);
    });

    it('still needs a key with feedback:write (or admin) beside the signature', async () => {
      const body = callback();
      const noKey = await http(signedGw.url, 'POST', '/v1/feedback', { raw: body, headers: signed(body) });
      expect(noKey.status).toBe(401);
      expect(noKey.body.type).toMatch(/unauthorized$/);
      const writer = await signedGw.key(['events:write']);
      const res = await http(signedGw.url, 'POST', '/v1/feedback', {
        key: writer,
        raw: body,
        headers: signed(body),
      });
      expect(res.status).toBe(403);
      const admin = await signedGw.key(['admin']);
      const byAdmin = await http(signedGw.url, 'POST', '/v1/feedback', {
        key: admin,
        raw: body,
        headers: signed(body),
      });
      expect(byAdmin.status).toBe(202);
    });
  });
});
