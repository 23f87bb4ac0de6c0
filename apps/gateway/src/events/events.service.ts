import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { customerWorkflowId, SIGNALS, WORKFLOW_TYPE, type EventSignal, type JourneyInput } from '@kairos/contracts';
import type { Event } from '@kairos/events';
import { ProblemException } from '../common/problem';
import { TemporalService } from '../temporal/temporal.service';

export type EventResult = { id: string; status: 'accepted' | 'duplicate' | 'ignored'; workflowId: string };

const SIGNAL_DEADLINE_MS = 5_000;

/** Hands each validated event durably to the customer's journey (signal-with-start). */
@Injectable()
export class EventsService {
  constructor(private readonly temporal: TemporalService) {}

  async accept(event: Event, requestId?: string): Promise<EventResult> {
    const receivedAt = Date.now();
    const id = event.id ?? `evt_${randomUUID()}`;
    const workflowId = customerWorkflowId(event.customerId);
    const signal: EventSignal = {
      v: 1,
      id,
      customerId: event.customerId,
      name: event.name,
      category: event.category,
      ts: event.occurredAt ? Date.parse(event.occurredAt) : receivedAt,
      receivedAt,
      ...(event.source ? { source: event.source } : {}),
      properties: event.properties,
      ...(requestId ? { requestId } : {}),
    };
    const input: JourneyInput = { v: 1, customerId: event.customerId };
    try {
      // 202 only after Temporal accepted the signal: from then on the event cannot be lost.
      await this.temporal.connection.withDeadline(Date.now() + SIGNAL_DEADLINE_MS, () =>
        this.temporal.client.workflow.signalWithStart(WORKFLOW_TYPE, {
          workflowId,
          taskQueue: this.temporal.taskQueue,
          args: [input],
          signal: SIGNALS.event,
          signalArgs: [signal],
        }),
      );
    } catch (err) {
      throw new ProblemException(
        503,
        'temporal-unavailable',
        'Temporal is unreachable',
        `The event was not accepted (${err instanceof Error ? err.message : String(err)}); retry with the same id.`,
        undefined,
        { 'retry-after': '5' },
      );
    }
    return { id, status: 'accepted', workflowId };
  }
}
