import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';

export type TlsProxy = {
  /** `127.0.0.1:<port>`: where clients connect with TLS. */
  address: string;
  /** Client certificates' subjects (CN) of the handshakes that passed, in order. */
  accepted: string[];
  /** Handshakes refused (no client certificate, or one the CA did not sign). */
  refusedCount(): number;
  close(): Promise<void>;
};

/**
 * A TLS (mTLS when `clientCa` is given) front for a plaintext gRPC server, as a TLS-terminating
 * Temporal frontend would be: HTTP/2 is offered by ALPN and the bytes are piped unchanged.
 */
export async function startTlsProxy(options: {
  target: string;
  cert: string;
  key: string;
  clientCa?: string;
}): Promise<TlsProxy> {
  const [host, port] = [options.target.replace(/:\d+$/, ''), Number(options.target.split(':').pop())];
  const accepted: string[] = [];
  let refused = 0;
  const sockets = new Set<net.Socket>();
  const server = tls.createServer(
    {
      cert: fs.readFileSync(options.cert),
      key: fs.readFileSync(options.key),
      ALPNProtocols: ['h2'],
      ...(options.clientCa
        ? { ca: fs.readFileSync(options.clientCa), requestCert: true, rejectUnauthorized: true }
        : {}),
    },
    (client) => {
      const subject = client.getPeerCertificate().subject as { CN?: string } | undefined;
      accepted.push(subject?.CN ?? '');
      const upstream = net.connect(port, host);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    },
  );
  server.on('tlsClientError', () => {
    refused += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${address.port}`,
    accepted,
    refusedCount: () => refused,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
