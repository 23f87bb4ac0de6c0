import fs from 'node:fs';
import { TLS_FIXTURES } from '@kairos/testing';
import { loadWorkerConfig, WorkerConfigSchema } from './config';

const BASE = { DATABASE_URL: 'postgres://u:p@localhost:5432/kairos' };

describe('worker config: Temporal TLS and API key', () => {
  it('connects in plaintext by default', () => {
    expect(loadWorkerConfig(BASE).temporalConnection).toEqual({});
  });

  it('reads the mTLS pair and the server CA, and takes an API key', () => {
    const config = loadWorkerConfig({
      ...BASE,
      TEMPORAL_TLS_CLIENT_CERT_PATH: TLS_FIXTURES.clientCert,
      TEMPORAL_TLS_CLIENT_KEY_PATH: TLS_FIXTURES.clientKey,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: TLS_FIXTURES.caCert,
      TEMPORAL_API_KEY: 'tc-key',
    });
    expect(config.temporalConnection).toEqual({
      tls: {
        clientCertPair: {
          crt: fs.readFileSync(TLS_FIXTURES.clientCert),
          key: fs.readFileSync(TLS_FIXTURES.clientKey),
        },
        serverRootCACertificate: fs.readFileSync(TLS_FIXTURES.caCert),
      },
      apiKey: 'tc-key',
    });
  });

  it('lists a half mTLS pair together with the other invalid keys', () => {
    expect(() =>
      loadWorkerConfig({
        ...BASE,
        KAIROS_HISTORY_BOUND: '1',
        TEMPORAL_TLS_CLIENT_KEY_PATH: TLS_FIXTURES.clientKey,
      }),
    ).toThrow(
      /KAIROS_HISTORY_BOUND: must be at least 200[\s\S]*TEMPORAL_TLS_CLIENT_CERT_PATH: is required with TEMPORAL_TLS_CLIENT_KEY_PATH/,
    );
  });

  it('keeps the environment schema a plain object (the bundle build picks keys from it)', () => {
    expect(Object.keys(WorkerConfigSchema.pick({ TEMPORAL_API_KEY: true }).shape)).toEqual([
      'TEMPORAL_API_KEY',
    ]);
  });
});
