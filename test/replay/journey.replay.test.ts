import fs from 'node:fs';
import path from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';

const DIR = path.resolve(__dirname, '..', '..', 'temporal', 'histories');
const files = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.history.bin'))
  .sort();
const load = (f: string) => temporal.api.history.v1.History.decode(fs.readFileSync(path.join(DIR, f)));

async function replay(workflowsPath: string, file: string): Promise<void> {
  await Worker.runReplayHistory({ workflowsPath }, load(file), path.basename(file, '.history.bin'));
}

describe('journey histories replay against the current workflow code', () => {
  it('has recorded histories to replay (scripts/capture-histories.ts)', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it.each(files)('%s replays without a determinism error', async (file) => {
    await expect(replay(require.resolve('../../apps/worker/src/workflows'), file)).resolves.toBeUndefined();
  });

  it('catches an incompatible workflow change (DeterminismViolationError)', async () => {
    const file = files[0] as string;
    await expect(replay(require.resolve('./incompatible/workflows'), file)).rejects.toBeInstanceOf(
      DeterminismViolationError,
    );
  });

  it('accepts the same change behind patched()', async () => {
    for (const file of files)
      await expect(replay(require.resolve('./patched/workflows'), file)).resolves.toBeUndefined();
  });
});
