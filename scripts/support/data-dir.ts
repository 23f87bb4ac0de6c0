/** The data folder of `npm start` (KAIROS_DATA_DIR), shared with the commands that use it. */
import path from 'node:path';
import { ROOT } from './temporal-binaries';

export const DEFAULT_DATA_DIR = path.join(ROOT, '.kairos', 'data');

export function dataDirOf(env: NodeJS.ProcessEnv): string {
  return path.resolve(env.KAIROS_DATA_DIR || DEFAULT_DATA_DIR);
}

/** Where `npm start` keeps its embedded PostgreSQL cluster. */
export function clusterDirOf(env: NodeJS.ProcessEnv): string {
  return path.join(dataDirOf(env), 'pg');
}
