import { Injectable } from '@nestjs/common';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type SignalDefinition,
} from '@temporalio/client';
import {
  customerWorkflowId,
  escalationAckSignal,
  eventSignal,
  exitSignal,
  feedbackSignal,
  journeyEventStart,
  journeyQuery,
  profileChangedSignal,
  WORKFLOW_TYPE,
  type EscalationAckSignal,
  type EventSignal,
  type ExitSignal,
  type FeedbackSignal,
  type JourneyView,
  type ProfileChangedSignal,
} from '@kairos/contracts';
import { MetricsService } from '../metrics/metrics.service';
import { DefinitionsCheckService } from '../triggers/definitions-check.service';
import { TemporalService } from './temporal.service';

/** Whether a signal reached a running journey, or the customer has none (nothing to tell). */
export type SignalOutcome = 'signalled' | 'no-journey';

function isNotFound(err: unknown): boolean {
  return (
    err instanceof WorkflowNotFoundError || (err instanceof Error && err.name === 'WorkflowNotFoundError')
  );
}

/**
 * The only code of the gateway that talks to journeys: signals and the query, typed by the
 * definitions of @kairos/contracts, each under KAIROS_TEMPORAL_TIMEOUT_MS and counted in metrics.
 * Errors other than "no such journey" are thrown for the caller to answer 503.
 */
@Injectable()
export class JourneyClient {
  constructor(
    private readonly temporal: TemporalService,
    private readonly metrics: MetricsService,
    private readonly definitions: DefinitionsCheckService,
  ) {}

  /**
   * Hands one event to the customer's journey, starting it (on the v2 code) when it has none,
   * with the search attributes it would publish after an event that matches nothing, and named
   * the definitions version every live worker runs (saves the new journey a local activity).
   */
  async sendEvent(event: EventSignal): Promise<void> {
    const definitions = this.definitions.agreedHash();
    const signalWithStart = (): Promise<unknown> =>
      this.temporal.call(() =>
        this.temporal.client.workflow.signalWithStart(
          WORKFLOW_TYPE,
          journeyEventStart(event, this.temporal.taskQueue, definitions),
        ),
      );
    try {
      try {
        await signalWithStart();
      } catch (err) {
        // Concurrent first events of a new customer can race on the start; the loser sees the
        // journey the winner just started, and a second signal-with-start signals that run.
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        await signalWithStart();
      }
    } catch (err) {
      this.metrics.signals.inc({ signal: eventSignal.name, outcome: 'error' });
      throw err;
    }
    this.metrics.signals.inc({ signal: eventSignal.name, outcome: 'ok' });
  }

  profileChanged(customerId: string, payload: ProfileChangedSignal): Promise<SignalOutcome> {
    return this.signal(customerWorkflowId(customerId), profileChangedSignal, payload);
  }

  exit(customerId: string, payload: ExitSignal): Promise<SignalOutcome> {
    return this.signal(customerWorkflowId(customerId), exitSignal, payload);
  }

  feedback(customerId: string, payload: FeedbackSignal): Promise<SignalOutcome> {
    return this.signal(customerWorkflowId(customerId), feedbackSignal, payload);
  }

  /** Escalations name the journey's workflow id themselves (stored with the escalation row). */
  escalationAck(workflowId: string, payload: EscalationAckSignal): Promise<SignalOutcome> {
    return this.signal(workflowId, escalationAckSignal, payload);
  }

  /** The live journey, or null when the customer has none. */
  async view(customerId: string): Promise<JourneyView | null> {
    try {
      return await this.temporal.call(() =>
        this.temporal.client.workflow.getHandle(customerWorkflowId(customerId)).query(journeyQuery),
      );
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  /** Whether the Temporal namespace answers (to tell a server outage from a missing worker). */
  serverReachable(): Promise<boolean> {
    return this.temporal.isReady();
  }

  private async signal<T>(
    workflowId: string,
    signal: SignalDefinition<[T]>,
    payload: T,
  ): Promise<SignalOutcome> {
    try {
      await this.temporal.call(() =>
        this.temporal.client.workflow.getHandle(workflowId).signal(signal, payload),
      );
      this.metrics.signals.inc({ signal: signal.name, outcome: 'ok' });
      return 'signalled';
    } catch (err) {
      if (isNotFound(err)) {
        this.metrics.signals.inc({ signal: signal.name, outcome: 'not_found' });
        return 'no-journey';
      }
      this.metrics.signals.inc({ signal: signal.name, outcome: 'error' });
      throw err;
    }
  }
}
