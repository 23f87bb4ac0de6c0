// The journey exactly as v1 workers ran it (no takeover gate): the workflows module of the "v1
// worker" in the v1 -> v2 takeover test, registered under the same workflow type.
import type { JourneyInput } from '@kairos/contracts';
import { customerJourneyV1 } from '../../../apps/worker/src/workflows/v1/customer-journey-v1';

export async function customerJourneyWorkflow(input: JourneyInput): Promise<void> {
  return customerJourneyV1(input, null);
}
