import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveTrackingKeys } from '@kairos/codec';
import { ensureTrackingSecret, trackingSecretEnv } from './tracking-secret';

describe('npm start: the tracking secret in the data folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-tracking-secret-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('generates a random secret once, private to its owner, strong enough for production', () => {
    const file = path.join(dir, 'tracking-secret');
    const first = ensureTrackingSecret(file);
    expect(ensureTrackingSecret(file)).toBe(first);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(ensureTrackingSecret(path.join(dir, 'other'))).not.toBe(first);
    expect(resolveTrackingKeys({ NODE_ENV: 'production', KAIROS_TRACKING_SECRET: first }).errors).toEqual([]);
  });

  it('replaces a file too short to be a secret, and keeps the operator’s own secret when set', () => {
    const file = path.join(dir, 'tracking-secret');
    fs.writeFileSync(file, 'short\n');
    expect(Buffer.byteLength(ensureTrackingSecret(file))).toBeGreaterThanOrEqual(32);
    expect(trackingSecretEnv({ KAIROS_TRACKING_SECRETS: 'k:abc' }, path.join(dir, 'unused'))).toEqual({});
    expect(fs.existsSync(path.join(dir, 'unused'))).toBe(false);
    expect(trackingSecretEnv({}, file)).toEqual({ KAIROS_TRACKING_SECRET: ensureTrackingSecret(file) });
  });
});
