import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { customerWorkflowId, profileChangedSignal, type ProfileChangedSignal } from '@kairos/contracts';

const isNotFound = (err: unknown): boolean =>
  err instanceof WorkflowNotFoundError || (err instanceof Error && err.name === 'WorkflowNotFoundError');

/**
 * Tells the journeys of `customerIds` that their stored profile changed (a score moved), with
 * the existing profileChanged signal: the journey re-reads the profile, scores included, before
 * its next decision. A customer without a journey is skipped (it reads the profile when it
 * starts). At most `concurrency` signals in flight; returns how many journeys were signalled.
 */
export async function notifyJourneys(
  client: Client,
  customerIds: readonly string[],
  at: number,
  concurrency = 32,
): Promise<number> {
  let next = 0;
  let signalled = 0;
  const lane = async (): Promise<void> => {
    while (next < customerIds.length) {
      const customerId = customerIds[next++]!;
      const payload: ProfileChangedSignal = { v: 1, customerId, changedAt: at };
      try {
        await client.workflow.getHandle(customerWorkflowId(customerId)).signal(profileChangedSignal, payload);
        signalled += 1;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, customerIds.length) }, lane));
  return signalled;
}
