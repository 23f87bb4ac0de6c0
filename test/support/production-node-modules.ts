/**
 * Stands in for `npm ci --omit=dev` in a folder laid out like the image's /app: links the
 * packages that install would place there (every non-dev entry of package-lock.json), taken from
 * the repository's installed node_modules. Code under `target` then resolves only production
 * packages, so an import of a dev dependency fails as it would in the image.
 */
import fs from 'node:fs';
import path from 'node:path';

type LockEntry = { dev?: boolean; link?: boolean; resolved?: string };

// A package at the top of a node_modules folder: that folder's owner is the root or a workspace.
const TOP_LEVEL = /^(?:(?<owner>.+)\/)?node_modules\/(?<name>(?:@[^/]+\/)?[^/]+)$/;

export function linkProductionDependencies(root: string, target: string): number {
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  let linked = 0;
  for (const [key, entry] of Object.entries(lock.packages)) {
    const match = TOP_LEVEL.exec(key);
    const owner = match?.groups?.owner ?? '';
    // Packages nested in other packages come along with their parent's link.
    if (!match || entry.dev || owner.includes('node_modules')) continue;
    const installed = path.join(root, key);
    // Workspaces link to the copy inside `target`; other platforms' optional packages are absent.
    const source = entry.link && entry.resolved ? path.join(target, entry.resolved) : installed;
    if (!entry.link && !fs.existsSync(installed)) continue;
    const destination = path.join(target, key);
    fs.mkdirSync(path.dirname(destination), { recursive: true });
    fs.symlinkSync(source, destination, 'dir');
    linked += 1;
  }
  return linked;
}
