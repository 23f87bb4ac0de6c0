import fs from 'node:fs';

/** Bytes of a SQLite database on disk: the file with its WAL and shared-memory files. */
export function sqliteBytes(dbFile: string): number {
  return ['', '-wal', '-shm'].reduce(
    (n, s) => n + (fs.existsSync(dbFile + s) ? fs.statSync(dbFile + s).size : 0),
    0,
  );
}
