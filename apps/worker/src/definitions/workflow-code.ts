// The workflow code a worker loads: the prebuilt bundle when it holds every definition version
// the worker knows, else the workflows bundled now with them compiled in; and a short id of that
// code, the build id Temporal records on every workflow task.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { bundleWorkflowCode, Runtime } from '@temporalio/worker';
import type { DefinitionsRegistry } from '@kairos/triggers';
import { WORKFLOWS_PATH } from '../workflow-bundle';
import { definitionsBundlerOptions, missingFromBundle } from './definitions-registry';

export type WorkflowCode = { workflowBundle: { code: string }; buildId: string };

/**
 * A build id unique to the code, but short: the SDK's default (package, version and a 64-digit
 * hash, ~90 bytes) is written twice into every workflow task of every journey.
 */
export function buildIdOf(code: string): string {
  return `kairos-${createHash('sha256').update(code).digest('hex').slice(0, 16)}`;
}

export async function loadWorkflowCode(
  options: { workflowsPath?: string; workflowBundlePath?: string },
  registry: DefinitionsRegistry,
): Promise<WorkflowCode> {
  const prebuilt = options.workflowsPath === undefined ? options.workflowBundlePath : undefined;
  if (prebuilt !== undefined) {
    const missing = missingFromBundle(prebuilt, registry);
    if (missing.length === 0) {
      const code = fs.readFileSync(prebuilt, 'utf8');
      return { workflowBundle: { code }, buildId: buildIdOf(code) };
    }
    Runtime.instance().logger.warn('prebuilt workflow bundle lacks definition versions; bundling at start', {
      bundle: prebuilt,
      missing,
    });
  }
  const { code } = await bundleWorkflowCode({
    workflowsPath: options.workflowsPath ?? WORKFLOWS_PATH,
    ...definitionsBundlerOptions(registry),
  });
  return { workflowBundle: { code }, buildId: buildIdOf(code) };
}
