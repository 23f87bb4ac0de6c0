import type { Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/workflow';
import {
  customerWorkflowId,
  eventSignal,
  journeyQuery,
  WORKFLOW_TYPE,
  type EventSignal,
  type JourneyView,
} from '@kairos/contracts';

/** Drives one customer's journey through the client, as the gateway does. */
export class Customer {
  private n = 0;
  readonly workflowId: string;
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    readonly id: string,
    private readonly clock: () => Promise<number>,
  ) {
    this.workflowId = customerWorkflowId(id);
  }

  async send(name: string, properties: Record<string, unknown> = {}, id?: string): Promise<string> {
    const now = await this.clock();
    const eventId = id ?? `${this.id}-e${++this.n}`;
    const signal: EventSignal = {
      v: 1,
      id: eventId,
      customerId: this.id,
      name,
      category: 'customer_action',
      ts: now,
      receivedAt: now,
      properties,
    };
    await this.client.workflow.signalWithStart(WORKFLOW_TYPE, {
      workflowId: this.workflowId,
      taskQueue: this.taskQueue,
      args: [{ v: 2, customerId: this.id }],
      signal: eventSignal,
      signalArgs: [signal],
    });
    return eventId;
  }

  async signal<T>(signal: SignalDefinition<[T]>, payload: T): Promise<void> {
    await this.client.workflow.getHandle(this.workflowId).signal(signal, payload);
  }

  async view(): Promise<JourneyView> {
    return this.client.workflow.getHandle(this.workflowId).query(journeyQuery);
  }

  /** Polls the journey query until `probe` holds (real time: the workflow works in real time). */
  async until(probe: (v: JourneyView) => boolean, what: string, timeoutMs = 20_000): Promise<JourneyView> {
    const deadline = Date.now() + timeoutMs;
    let last: JourneyView | undefined;
    for (;;) {
      try {
        last = await this.view();
        if (probe(last)) return last;
      } catch {
        // not started yet
      }
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; last view: ${JSON.stringify(last)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
