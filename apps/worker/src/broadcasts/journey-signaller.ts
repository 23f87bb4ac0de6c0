import {
  isGrpcServiceError,
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  type Client,
} from '@temporalio/client';
import { journeyEventStart, WORKFLOW_TYPE, type EventSignal } from '@kairos/contracts';

/** `delivered`: Temporal took the signal; `failed`: it refused this customer's for good. */
export type SignalResult = 'delivered' | 'failed';

/** Hands one event to a customer's journey, as the gateway's JourneyClient.sendEvent does. */
export type JourneySignaller = (event: EventSignal) => Promise<SignalResult>;

// Refusals that a retry cannot change (a payload or id Temporal will never take); any other
// error is thrown so the activity retries from its last recorded customer.
// gRPC INVALID_ARGUMENT (3) and FAILED_PRECONDITION (9).
const PERMANENT = new Set<number>([3, 9]);

function permanent(err: unknown): boolean {
  const grpc = err instanceof ServiceError ? err.cause : err;
  return isGrpcServiceError(grpc) && PERMANENT.has(grpc.code);
}

/**
 * Signal-with-start of the journey with the options the gateway sends (`journeyEventStart` of
 * @kairos/contracts), over the worker's own client.
 */
export function createJourneySignaller(client: () => Client, taskQueue: string): JourneySignaller {
  return async (event) => {
    const send = (): Promise<unknown> =>
      client().workflow.signalWithStart(WORKFLOW_TYPE, journeyEventStart(event, taskQueue));
    try {
      try {
        await send();
      } catch (err) {
        // Another sender started this journey between our check and start: signal that run.
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        await send();
      }
      return 'delivered';
    } catch (err) {
      if (permanent(err)) return 'failed';
      throw err;
    }
  };
}
