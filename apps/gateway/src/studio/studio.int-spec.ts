import fs from 'node:fs';
import path from 'node:path';
import { Validator, type Schema } from '@cfworker/json-schema';
import { http, startTestGateway, type RunningGateway } from '@kairos/testing';
import { testDatabaseUrl } from '../../../../test/support/temporal-env';
import { DEFAULT_TRIGGERS_DIR } from '../config';
import { JSON_SCHEMA_FILES } from './studio-assets';

// The page, its scripts and the definitions route, on a gateway with no Temporal behind it (none
// of these routes signals a journey); the browser test is test/e2e/studio.e2e.ts.
describe('trigger studio routes (real Postgres)', () => {
  let gw: RunningGateway;

  beforeAll(async () => {
    gw = await startTestGateway({
      databaseUrl: testDatabaseUrl(),
      temporalAddress: '127.0.0.1:1',
      triggersDir: DEFAULT_TRIGGERS_DIR,
    });
  });

  afterAll(async () => {
    await gw?.close();
  });

  it('serves the page without a key, with a CSP that allows only its own scripts', async () => {
    const res = await http(gw.url, 'GET', '/studio');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const scripts = [...res.text.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts).toEqual(['/dashboard/chart.umd.js', '/studio/app.js']);
    for (const src of scripts) {
      const js = await http(gw.url, 'GET', src);
      expect([src, js.status, js.headers.get('content-type')]).toEqual([
        src,
        200,
        'text/javascript; charset=utf-8',
      ]);
    }
  });

  it('serves every module the page imports, from this origin only, and nothing else of node_modules', async () => {
    const seen = new Set<string>();
    const queue = ['/studio/app.js'];
    while (queue.length > 0) {
      const url = queue.shift()!;
      if (seen.has(url)) continue;
      seen.add(url);
      const res = await http(gw.url, 'GET', url);
      expect([url, res.status]).toEqual([url, 200]);
      for (const m of res.text.matchAll(/(?:import|export)[^'"]*from '([^']+)'/g))
        queue.push(new URL(m[1]!, `http://x${url}`).pathname);
    }
    expect([...seen].filter((u) => u.startsWith('/studio/vendor/json-schema/')).sort()).toEqual(
      JSON_SCHEMA_FILES.map((f) => `/studio/vendor/json-schema/${f}`).sort(),
    );
    const escape = await http(gw.url, 'GET', '/studio/vendor/json-schema/..%2Fpackage.json');
    expect(escape.status).toBe(400);
    expect(escape.body.errors[0].path).toBe('file');
  });

  it('serves the trigger JSON Schema: the examples pass it, a bad duration does not', async () => {
    const res = await http(gw.url, 'GET', '/studio/trigger.schema.json');
    expect(res.status).toBe(200);
    const validator = new Validator(res.body as Schema, '2020-12', false);
    const cart = JSON.parse(
      fs.readFileSync(path.join(DEFAULT_TRIGGERS_DIR, 'abandoned-cart.json'), 'utf8'),
    ) as { pattern: { steps: { for?: string }[] } };
    expect(validator.validate(cart).valid).toBe(true);
    cart.pattern.steps[1]!.for = '2 hours';
    const bad = validator.validate(cart);
    expect(bad.valid).toBe(false);
    expect(bad.errors.map((e) => e.instanceLocation)).toContain('#/pattern/steps/1/for');
  });

  it('GET /v1/studio/definitions gives the loaded definitions (as their files write them), behind a key', async () => {
    expect((await http(gw.url, 'GET', '/v1/studio/definitions')).status).toBe(401);
    const writer = await gw.key(['events:write'], 'studio-writer');
    expect((await http(gw.url, 'GET', '/v1/studio/definitions', { key: writer })).status).toBe(403);
    const reader = await gw.key(['reports:read'], 'studio-reader');
    const res = await http(gw.url, 'GET', '/v1/studio/definitions', { key: reader });
    expect(res.status).toBe(200);
    const defs = (res.body as { definitions: { id: string; definition: unknown }[] }).definitions;
    const listed = await http(gw.url, 'GET', '/v1/triggers', { key: reader });
    expect(defs.map((d) => d.id)).toEqual(
      (listed.body as { triggers: { id: string }[] }).triggers.map((t) => t.id),
    );
    expect(defs.map((d) => d.id)).toContain('abandoned-cart');
    const cart = defs.find((d) => d.id === 'abandoned-cart')!;
    expect(cart).toMatchObject({ version: 1, enabled: true });
    expect(cart.definition).toEqual(
      JSON.parse(fs.readFileSync(path.join(DEFAULT_TRIGGERS_DIR, 'abandoned-cart.json'), 'utf8')),
    );
  });
});
