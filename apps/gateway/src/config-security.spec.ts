import fs from 'node:fs';
import { TLS_FIXTURES } from '@kairos/testing';
import { loadGatewayConfig } from './config';

const BASE = { DATABASE_URL: 'postgres://u:p@localhost:5432/kairos' };

describe('gateway config: Temporal TLS and API key, feedback signing secret', () => {
  it('connects in plaintext and takes unsigned callbacks by default', () => {
    const config = loadGatewayConfig(BASE);
    expect(config.temporalConnection).toEqual({});
    expect(config.feedbackSigningSecret).toBeUndefined();
  });

  it('reads the mTLS pair, the server CA and the server name into the connection options', () => {
    const config = loadGatewayConfig({
      ...BASE,
      TEMPORAL_TLS_CLIENT_CERT_PATH: TLS_FIXTURES.clientCert,
      TEMPORAL_TLS_CLIENT_KEY_PATH: TLS_FIXTURES.clientKey,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: TLS_FIXTURES.caCert,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.test',
    });
    expect(config.temporalConnection).toEqual({
      tls: {
        clientCertPair: {
          crt: fs.readFileSync(TLS_FIXTURES.clientCert),
          key: fs.readFileSync(TLS_FIXTURES.clientKey),
        },
        serverRootCACertificate: fs.readFileSync(TLS_FIXTURES.caCert),
        serverNameOverride: 'temporal.test',
      },
    });
  });

  it('takes an API key (Temporal Cloud) over TLS', () => {
    const config = loadGatewayConfig({ ...BASE, TEMPORAL_API_KEY: 'tc-key' });
    expect(config.temporalConnection).toEqual({ tls: {}, apiKey: 'tc-key' });
  });

  it('lists a key that does not belong to the certificate with every other invalid key', () => {
    expect(() =>
      loadGatewayConfig({
        ...BASE,
        PORT: 'abc',
        TEMPORAL_TLS_CLIENT_CERT_PATH: TLS_FIXTURES.clientCert,
        TEMPORAL_TLS_CLIENT_KEY_PATH: TLS_FIXTURES.rogueClientKey,
        KAIROS_FEEDBACK_SIGNING_SECRET: 'too-short',
      }),
    ).toThrow(
      new RegExp(
        [
          'PORT: ',
          'KAIROS_FEEDBACK_SIGNING_SECRET: must be at least 32 characters',
          `TEMPORAL_TLS_CLIENT_KEY_PATH: is not the private key of ${TLS_FIXTURES.clientCert}`,
        ].join('[\\s\\S]*'),
      ),
    );
  });

  it('requires the signature once KAIROS_FEEDBACK_SIGNING_SECRET is set; empty means unset', () => {
    const secret = 'a-signing-secret-of-at-least-32-chars';
    expect(loadGatewayConfig({ ...BASE, KAIROS_FEEDBACK_SIGNING_SECRET: secret }).feedbackSigningSecret).toBe(
      secret,
    );
    expect(loadGatewayConfig({ ...BASE, KAIROS_FEEDBACK_SIGNING_SECRET: '' }).feedbackSigningSecret).toBe(
      undefined,
    );
  });
});
