/**
 * prepareEmbeddedDataDir on real folders, for a PostgreSQL that runs as another user (as when
 * we are root): the uid below is nobody's, so only the "other" bits let it in.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataDirError, prepareEmbeddedDataDir, type PgIdentity } from './embedded-data-dir';

const OTHER: PgIdentity = { name: 'postgres', uid: 54_321, gids: [] };
const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe('prepareEmbeddedDataDir (real folders)', () => {
  let base: string;

  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-datadir-'));
    fs.chmodSync(base, 0o711);
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  it('fails at once in one line naming a private folder above the data folder, creating nothing', () => {
    const priv = path.join(base, 'priv');
    fs.mkdirSync(priv, { mode: 0o700 });
    fs.chmodSync(priv, 0o700);
    const cluster = path.join(priv, 'data', 'pg');
    let error: unknown;
    try {
      prepareEmbeddedDataDir(cluster, OTHER);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DataDirError);
    const message = (error as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toContain(`cannot enter ${fs.realpathSync(priv)} (mode 700)`);
    expect(message).toContain(`fix: chmod o+x ${fs.realpathSync(priv)}`);
    expect(fs.existsSync(path.join(priv, 'data'))).toBe(false);

    // The fix it names works, and leaves the user's folder otherwise private.
    fs.chmodSync(priv, 0o701);
    prepareEmbeddedDataDir(cluster, OTHER);
    expect(fs.statSync(path.join(priv, 'data')).isDirectory()).toBe(true);
    expect(mode(priv)).toBe(0o701);
  });

  it('opens its own data folder, and every folder it creates, to the postgres user', () => {
    const own = path.join(base, 'own');
    fs.mkdirSync(own);
    fs.chmodSync(own, 0o700);
    prepareEmbeddedDataDir(path.join(own, 'pg'), OTHER);
    expect(mode(own)).toBe(0o701);

    const previous = process.umask(0o077);
    try {
      prepareEmbeddedDataDir(path.join(base, 'a', 'b', 'data', 'pg'), OTHER);
    } finally {
      process.umask(previous);
    }
    for (const folder of ['a', 'a/b', 'a/b/data']) expect(mode(path.join(base, folder))).toBe(0o701);
  });

  it('names a data folder that cannot be created', () => {
    const file = path.join(base, 'a-file');
    fs.writeFileSync(file, '');
    expect(() => prepareEmbeddedDataDir(path.join(file, 'data', 'pg'), OTHER)).toThrow(
      `KAIROS_DATA_DIR: cannot create ${path.join(file, 'data')} (ENOTDIR)`,
    );
  });
});
