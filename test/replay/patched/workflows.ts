// The same change done right: behind patched(), old histories replay down the old path.
import { patched, sleep } from '@temporalio/workflow';
import type { JourneyInput } from '@kairos/contracts';
import { customerJourneyWorkflow as current } from '../../../apps/worker/src/workflows';

export async function customerJourneyWorkflow(input: JourneyInput): Promise<void> {
  // Example change: a settling pause before the journey starts, only for runs started after it.
  if (patched('journey-settle-pause')) await sleep('1 second');
  return current(input);
}
