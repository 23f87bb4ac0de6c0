import { createPrivateKey, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import { z } from 'zod';

/**
 * How the gateway and the worker reach a Temporal cluster that is not a local dev server:
 * TLS (with a client certificate for mTLS, an optional private CA and server name) or an API
 * key (Temporal Cloud). The variable names are Temporal's own (`temporal` CLI, envconfig).
 */

/** A PEM file read at start, so a wrong path or a non-PEM file stops the process with its key named. */
function pemFile(kind: 'certificate' | 'private key') {
  return z
    .string()
    .min(1)
    .optional()
    .transform((file, ctx) => {
      if (file === undefined) return undefined;
      let pem: Buffer;
      try {
        pem = fs.readFileSync(file);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `cannot read ${file}: ${(err as Error).message}` });
        return z.NEVER;
      }
      try {
        if (kind === 'certificate') new X509Certificate(pem);
        else createPrivateKey(pem);
      } catch {
        ctx.addIssue({ code: 'custom', message: `${file} is not a PEM ${kind}` });
        return z.NEVER;
      }
      return { file, pem };
    });
}

/** The Temporal connection variables, spread into each app's environment schema. */
export const TEMPORAL_CONNECTION_ENV = {
  /** API key sent as `Authorization: Bearer` (Temporal Cloud); implies TLS. */
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  /** `true` = TLS with the system's trusted CAs; implied by any other TLS variable or an API key. */
  TEMPORAL_TLS: z.enum(['true', 'false'], { message: 'must be true or false' }).optional(),
  /** mTLS client certificate and its key (PEM files); both or neither. */
  TEMPORAL_TLS_CLIENT_CERT_PATH: pemFile('certificate'),
  TEMPORAL_TLS_CLIENT_KEY_PATH: pemFile('private key'),
  /** CA that signed the server's certificate, when the system does not trust it. */
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: pemFile('certificate'),
  /** Name checked against the server's certificate (SNI), when it differs from the address host. */
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
};

type TemporalConnectionEnv = z.infer<z.ZodObject<typeof TEMPORAL_CONNECTION_ENV>>;

/** Rules across the variables: added to each app's schema with `when`, so they are listed with every other error. */
export function checkTemporalConnectionEnv(
  env: Partial<TemporalConnectionEnv>,
  ctx: z.core.$RefinementCtx,
): void {
  const cert = env.TEMPORAL_TLS_CLIENT_CERT_PATH;
  const key = env.TEMPORAL_TLS_CLIENT_KEY_PATH;
  const issue = (path: keyof TemporalConnectionEnv, message: string) =>
    ctx.addIssue({ code: 'custom', path: [path], message });
  if (cert && !key) issue('TEMPORAL_TLS_CLIENT_KEY_PATH', 'is required with TEMPORAL_TLS_CLIENT_CERT_PATH');
  if (key && !cert) issue('TEMPORAL_TLS_CLIENT_CERT_PATH', 'is required with TEMPORAL_TLS_CLIENT_KEY_PATH');
  if (cert?.pem && key?.pem && !new X509Certificate(cert.pem).checkPrivateKey(createPrivateKey(key.pem)))
    issue('TEMPORAL_TLS_CLIENT_KEY_PATH', `is not the private key of ${cert.file}`);
  const needsTls = [env.TEMPORAL_API_KEY, cert, key, env.TEMPORAL_TLS_SERVER_CA_CERT_PATH].some(Boolean);
  if (env.TEMPORAL_TLS === 'false' && (needsTls || env.TEMPORAL_TLS_SERVER_NAME))
    issue('TEMPORAL_TLS', 'is false, but an API key or a TLS variable is set (they need TLS)');
}

/** What `Connection` (client) and `NativeConnection` (worker) take, beside the address. */
export type TemporalConnectionOptions = Readonly<{ tls?: TLSConfig; apiKey?: string }>;

/** Connection options from the validated variables; `{}` = plaintext, as to a local dev server. */
export function temporalConnectionOptions(env: TemporalConnectionEnv): TemporalConnectionOptions {
  const cert = env.TEMPORAL_TLS_CLIENT_CERT_PATH;
  const key = env.TEMPORAL_TLS_CLIENT_KEY_PATH;
  const ca = env.TEMPORAL_TLS_SERVER_CA_CERT_PATH;
  const name = env.TEMPORAL_TLS_SERVER_NAME;
  const tls = env.TEMPORAL_TLS === 'true' || Boolean(env.TEMPORAL_API_KEY || cert || key || ca || name);
  return Object.freeze({
    ...(tls
      ? {
          tls: {
            ...(cert && key ? { clientCertPair: { crt: cert.pem, key: key.pem } } : {}),
            ...(ca ? { serverRootCACertificate: ca.pem } : {}),
            ...(name ? { serverNameOverride: name } : {}),
          },
        }
      : {}),
    ...(env.TEMPORAL_API_KEY ? { apiKey: env.TEMPORAL_API_KEY } : {}),
  });
}
