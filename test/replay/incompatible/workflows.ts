// A deliberately incompatible change of the journey workflow: a timer before anything else,
// without patched(). Replaying recorded histories against it must fail with a determinism error.
import { sleep } from '@temporalio/workflow';
import type { JourneyInput } from '@kairos/contracts';
import { customerJourneyWorkflow as current } from '../../../apps/worker/src/workflows';

export async function customerJourneyWorkflow(input: JourneyInput): Promise<void> {
  await sleep('1 second');
  return current(input);
}
