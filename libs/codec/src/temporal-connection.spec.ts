import path from 'node:path';
import { z } from 'zod';
import {
  checkTemporalConnectionEnv,
  TEMPORAL_CONNECTION_ENV,
  temporalConnectionOptions,
} from './temporal-connection';

// The connection variables alone, with the cross-variable rules, as each app's config applies them.
const Schema = z
  .object(TEMPORAL_CONNECTION_ENV)
  .superRefine(checkTemporalConnectionEnv, { when: () => true });

const issues = (env: Record<string, string>) =>
  (Schema.safeParse(env).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('Temporal connection variables', () => {
  it('means a plaintext connection when none is set (a local dev server)', () => {
    expect(temporalConnectionOptions(Schema.parse({}))).toEqual({});
  });

  it('turns TLS on for TEMPORAL_TLS=true, an API key or a server name, and passes the API key', () => {
    expect(temporalConnectionOptions(Schema.parse({ TEMPORAL_TLS: 'true' }))).toEqual({ tls: {} });
    expect(temporalConnectionOptions(Schema.parse({ TEMPORAL_API_KEY: 'cloud-key' }))).toEqual({
      tls: {},
      apiKey: 'cloud-key',
    });
    expect(
      temporalConnectionOptions(Schema.parse({ TEMPORAL_TLS_SERVER_NAME: 'temporal.internal' })),
    ).toEqual({
      tls: { serverNameOverride: 'temporal.internal' },
    });
  });

  it('lists every problem at once: unreadable and non-PEM files, a lone certificate, TLS switched off', () => {
    expect(
      issues({
        TEMPORAL_TLS: 'false',
        TEMPORAL_API_KEY: 'k',
        TEMPORAL_TLS_CLIENT_CERT_PATH: '/nonexistent/client.pem',
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: path.join(__dirname, 'index.ts'),
      }),
    ).toEqual([
      expect.stringMatching(/^TEMPORAL_TLS_CLIENT_CERT_PATH: cannot read \/nonexistent\/client\.pem: ENOENT/),
      expect.stringMatching(/^TEMPORAL_TLS_SERVER_CA_CERT_PATH: .*index\.ts is not a PEM certificate$/),
      'TEMPORAL_TLS_CLIENT_KEY_PATH: is required with TEMPORAL_TLS_CLIENT_CERT_PATH',
      'TEMPORAL_TLS: is false, but an API key or a TLS variable is set (they need TLS)',
    ]);
    expect(issues({ TEMPORAL_TLS: 'yes' })).toEqual(['TEMPORAL_TLS: must be true or false']);
  });
});
