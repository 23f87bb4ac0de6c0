import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { DefinitionsRegistry } from '@kairos/triggers';
import { definitionsBundlerOptions, writeBundleDefinitions } from './definitions/definitions-registry';

/** The workflows module the worker registers, whether bundled at start or ahead of time. */
export const WORKFLOWS_PATH = require.resolve('./workflows');

/**
 * Bundles the workflows as Worker.create would at start (same module, no interceptors or custom
 * converters) and writes the code to `outFile`, so a worker can start without webpack. The
 * definition versions of `registry` are compiled in, and their hashes written beside the bundle
 * (`<outFile>.definitions.json`): a worker uses the bundle only when it holds every version it knows.
 */
export async function writeWorkflowBundle(
  outFile: string,
  registry: DefinitionsRegistry,
): Promise<{ bytes: number }> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    ...definitionsBundlerOptions(registry),
  });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  // Renamed into place: a worker starting meanwhile never reads half a bundle.
  const partial = `${outFile}.${process.pid}.partial`;
  fs.writeFileSync(partial, code);
  fs.renameSync(partial, outFile);
  writeBundleDefinitions(outFile, registry);
  return { bytes: Buffer.byteLength(code) };
}
