import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { MIN_PRODUCTION_SECRET_BYTES } from '@kairos/codec';

/**
 * The tracking secret of `npm start`: generated once (32 random bytes) into the data folder and
 * read back on every start, so links in messages already sent keep verifying after a restart.
 * Only the owner can read the file.
 */
export function ensureTrackingSecret(file: string): string {
  if (fs.existsSync(file)) {
    const kept = fs.readFileSync(file, 'utf8').trim();
    if (Buffer.byteLength(kept) >= MIN_PRODUCTION_SECRET_BYTES) return kept;
  }
  const secret = randomBytes(32).toString('base64url');
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/**
 * What gateway and worker get: the operator's own KAIROS_TRACKING_SECRET(S) when set, otherwise
 * the data folder's generated secret (never the public development default).
 */
export function trackingSecretEnv(env: NodeJS.ProcessEnv, file: string): NodeJS.ProcessEnv {
  if (env.KAIROS_TRACKING_SECRET?.trim() || env.KAIROS_TRACKING_SECRETS?.trim()) return {};
  return { KAIROS_TRACKING_SECRET: ensureTrackingSecret(file) };
}
