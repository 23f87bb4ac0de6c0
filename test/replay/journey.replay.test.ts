import fs from 'node:fs';
import path from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';
import { DefinitionsRegistrySchema } from '@kairos/triggers';
import { definitionsBundlerOptions } from '../../apps/worker/src/definitions/definitions-registry';

const DIR = path.resolve(__dirname, '..', '..', 'temporal', 'histories');
const files = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.history.bin'))
  .sort();
const load = (f: string) => temporal.api.history.v1.History.decode(fs.readFileSync(path.join(DIR, f)));
/** The definition versions the captured v2 journeys ran on (scripts/capture-histories.ts writes them). */
const registry = DefinitionsRegistrySchema.parse(
  JSON.parse(fs.readFileSync(path.join(DIR, 'definitions.json'), 'utf8')),
);

/** Bundles a workflows module as a worker does: with the definition versions compiled in. */
async function bundle(workflowsPath: string, withDefinitions = true): Promise<WorkflowBundle> {
  return bundleWorkflowCode({
    workflowsPath,
    ...(withDefinitions ? definitionsBundlerOptions(registry) : {}),
  });
}

async function replay(workflowBundle: WorkflowBundle, file: string): Promise<void> {
  await Worker.runReplayHistory({ workflowBundle }, load(file), path.basename(file, '.history.bin'));
}

describe('journey histories replay against the current workflow code', () => {
  let current: WorkflowBundle;
  beforeAll(async () => {
    current = await bundle(require.resolve('../../apps/worker/src/workflows'));
  });

  it('has recorded v1 and v2 histories to replay (scripts/capture-histories.ts)', () => {
    expect(files.filter((f) => !f.startsWith('v2-')).length).toBeGreaterThanOrEqual(5);
    expect(files.filter((f) => f.startsWith('v2-')).length).toBeGreaterThanOrEqual(5);
    expect(files).toContain('v1-takeover.history.bin');
  });

  it.each(files)('%s replays without a determinism error', async (file) => {
    await expect(replay(current, file)).resolves.toBeUndefined();
  });

  it('a v2 history fails its workflow task, naming the version, on a bundle without its definitions', async () => {
    const bare = await bundle(require.resolve('../../apps/worker/src/workflows'), false);
    const v2 = files.find((f) => f.startsWith('v2-')) as string;
    await expect(replay(bare, v2)).rejects.toThrow(
      /KAIROS_DEFINITIONS_UNKNOWN: .*definition version [0-9a-f]{16}/,
    );
  });

  it('catches an incompatible workflow change (DeterminismViolationError)', async () => {
    const incompatible = await bundle(require.resolve('./incompatible/workflows'));
    for (const file of [files.find((f) => !f.startsWith('v2-')), files.find((f) => f.startsWith('v2-'))])
      await expect(replay(incompatible, file as string)).rejects.toBeInstanceOf(DeterminismViolationError);
  });

  it('accepts the same change behind patched()', async () => {
    const patched = await bundle(require.resolve('./patched/workflows'));
    for (const file of files) await expect(replay(patched, file)).resolves.toBeUndefined();
  });
});
