// The definitions registry compiled into the workflow code (read by workflows/definitions-registry.ts):
// every version this deployment ever ran journeys on, kept in Postgres so a restarted worker with
// new files still runs (and replays) journeys on the old ones.
import fs from 'node:fs';
import { DefinitionSetSchema, type DefinitionSet, type DefinitionsRegistry } from '@kairos/triggers';
import type { DefinitionVersionsRepository } from '@kairos/persistence';
import type { DefinitionsVersion } from '../activities';

/** The global the workflow code reads; replaced at bundle time (webpack DefinePlugin). */
export const REGISTRY_GLOBAL = '__KAIROS_DEFINITIONS__';

/**
 * Stores the current version, then returns every stored version. A stored version the current
 * schema no longer reads is left out (journeys on it fail their workflow tasks with a message
 * naming the hash, so a worker that still knows it can take them).
 */
export async function loadDefinitionsRegistry(
  repo: DefinitionVersionsRepository,
  current: DefinitionsVersion,
  warn: (message: string) => void,
): Promise<DefinitionsRegistry> {
  await repo.remember(current.hash, current.set);
  const versions: Record<string, DefinitionSet> = {};
  for (const row of await repo.list()) {
    const parsed = DefinitionSetSchema.safeParse(row.body);
    if (parsed.success) versions[row.hash] = parsed.data;
    else
      warn(
        `definition version ${row.hash} (first seen ${row.firstSeen.toISOString()}) no longer validates: left out of the workflow bundle`,
      );
  }
  versions[current.hash] = current.set;
  return { versions };
}

/** A registry holding only the given versions (tests, replay of captured histories, build without a database). */
export function registryOf(...versions: DefinitionsVersion[]): DefinitionsRegistry {
  return { versions: Object.fromEntries(versions.map((v) => [v.hash, v.set])) };
}

type WebpackConfig = { plugins?: unknown[] };
type DefinePluginClass = new (definitions: Record<string, string>) => unknown;

/** The workflows module every journey thread loads first (shared trigger library and registry). */
export const WORKFLOWS_PRELOAD = require.resolve('../workflows/preload');

/**
 * Bundler options that compile `registry` into the workflow code, and preload the shared part
 * of the journey code once per worker thread (workflows/preload.ts). The DefinePlugin comes from
 * the webpack the Temporal bundler itself uses, so the plugin and the compiler match.
 */
export function definitionsBundlerOptions(registry: DefinitionsRegistry): {
  webpackConfigHook: <C extends WebpackConfig>(config: C) => C;
  preloadModules: string[];
} {
  const webpackPath = require.resolve('webpack', { paths: [require.resolve('@temporalio/worker')] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DefinePlugin } = require(webpackPath) as { DefinePlugin: DefinePluginClass };
  const plugin = new DefinePlugin({ [REGISTRY_GLOBAL]: JSON.stringify(registry) });
  return {
    webpackConfigHook: (config) => ({ ...config, plugins: [...(config.plugins ?? []), plugin] }),
    preloadModules: [WORKFLOWS_PRELOAD],
  };
}

/** Beside a prebuilt bundle: the definition hashes compiled into it. */
export const bundleDefinitionsFile = (codePath: string): string => `${codePath}.definitions.json`;

export function writeBundleDefinitions(codePath: string, registry: DefinitionsRegistry): void {
  const hashes = Object.keys(registry.versions).sort();
  fs.writeFileSync(bundleDefinitionsFile(codePath), `${JSON.stringify({ hashes }, null, 2)}\n`);
}

/**
 * The versions of `registry` a prebuilt bundle lacks (all of them when it has no definitions
 * file). A worker uses a prebuilt bundle only when it lacks none: its current version and every
 * version a running journey may carry.
 */
export function missingFromBundle(codePath: string, registry: DefinitionsRegistry): string[] {
  let hashes: unknown;
  try {
    hashes = (JSON.parse(fs.readFileSync(bundleDefinitionsFile(codePath), 'utf8')) as { hashes?: unknown })
      .hashes;
  } catch {
    hashes = [];
  }
  const held = new Set(Array.isArray(hashes) ? hashes : []);
  return Object.keys(registry.versions).filter((h) => !held.has(h));
}
