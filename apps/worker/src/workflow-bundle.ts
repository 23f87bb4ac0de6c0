import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

/** The workflows module the worker registers, whether bundled at start or ahead of time. */
export const WORKFLOWS_PATH = require.resolve('./workflows');

/**
 * Bundles the workflows as Worker.create would at start (same module, no interceptors or custom
 * converters) and writes the code to `outFile`, so a worker can start without webpack.
 */
export async function writeWorkflowBundle(outFile: string): Promise<{ bytes: number }> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  // Renamed into place: a worker starting meanwhile never reads half a bundle.
  const partial = `${outFile}.${process.pid}.partial`;
  fs.writeFileSync(partial, code);
  fs.renameSync(partial, outFile);
  return { bytes: Buffer.byteLength(code) };
}
