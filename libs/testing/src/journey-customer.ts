import type { Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/workflow';
import type { Pool } from 'pg';
import {
  customerWorkflowId,
  journeyEventStart,
  journeyQuery,
  WORKFLOW_TYPE,
  type EventSignal,
  type JourneyView,
} from '@kairos/contracts';
import { JourneyEventsRepository } from '@kairos/persistence';

/**
 * Drives one customer's journey as the gateway does: each event is recorded in journey_events
 * (the gateway's own recorder), then signal-with-start with the gateway's start attributes.
 */
export class Customer {
  private n = 0;
  readonly workflowId: string;
  private readonly events: JourneyEventsRepository;
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    readonly id: string,
    private readonly clock: () => Promise<number>,
    pool: Pool,
    /** The definitions version the journey's first run is told to take (as the gateway may name it). */
    private readonly definitions?: string,
  ) {
    this.workflowId = customerWorkflowId(id);
    this.events = new JourneyEventsRepository(pool);
  }

  async send(name: string, properties: Record<string, unknown> = {}, id?: string): Promise<string> {
    const now = await this.clock();
    const eventId = id ?? `${this.id}-e${++this.n}`;
    const signal: EventSignal = {
      v: 2,
      id: eventId,
      customerId: this.id,
      name,
      category: 'customer_action',
      ts: now,
      receivedAt: now,
      properties,
    };
    await this.events.recordSignals([signal]);
    await this.client.workflow.signalWithStart(
      WORKFLOW_TYPE,
      journeyEventStart(signal, this.taskQueue, this.definitions),
    );
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
