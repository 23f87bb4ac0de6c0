import path from 'node:path';

const DIR = path.join(__dirname, 'fixtures', 'tls');

/** Test-only PEM files (fixtures/tls/README.md): a CA, a server and a client it signed, and a rogue client. */
export const TLS_FIXTURES = Object.freeze({
  caCert: path.join(DIR, 'ca.pem'),
  serverCert: path.join(DIR, 'server.pem'),
  serverKey: path.join(DIR, 'server.key'),
  clientCert: path.join(DIR, 'client.pem'),
  clientKey: path.join(DIR, 'client.key'),
  rogueClientCert: path.join(DIR, 'rogue-client.pem'),
  rogueClientKey: path.join(DIR, 'rogue-client.key'),
});
