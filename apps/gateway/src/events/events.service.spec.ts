import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { eventSignal, WORKFLOW_TYPE } from '@kairos/contracts';
import type { GatewayConfig } from '../config';
import { MetricsService } from '../metrics/metrics.service';
import { JourneyClient } from '../temporal/journey.client';
import type { TemporalService } from '../temporal/temporal.service';
import type { DefinitionsCheckService } from '../triggers/definitions-check.service';
import type { TriggerCatalogService } from '../triggers/trigger-catalog.service';
import type { VolumeService } from '../volume/volume.service';
import type { EventRecorderService } from './event-recorder.service';
import { EventsService } from './events.service';
import type { RateLimitService } from './rate-limit.service';

type Call = { type: string; options: Record<string, unknown> };

function service(
  signalWithStart: (type: string, options: Record<string, unknown>) => Promise<unknown>,
  recorded = true,
  agreedHash: string | null = null,
): {
  events: EventsService;
  calls: Call[];
} {
  const calls: Call[] = [];
  const temporal = {
    taskQueue: 'q',
    call: <T>(fn: () => Promise<T>) => fn(),
    client: {
      workflow: {
        signalWithStart: (type: string, options: Record<string, unknown>) => {
          calls.push({ type, options });
          return signalWithStart(type, options);
        },
      },
    },
  } as unknown as TemporalService;
  const catalog = { isRelevant: () => true } as unknown as TriggerCatalogService;
  const recorder = { record: async () => recorded } as unknown as EventRecorderService;
  const volume = { count: () => undefined } as unknown as VolumeService;
  const rateLimit = {
    take: async () => undefined,
    takeJourney: async () => undefined,
  } as unknown as RateLimitService;
  const config = { dedupeCacheSize: 100, retryAfterS: 5 } as GatewayConfig;
  const metrics = new MetricsService();
  const definitions = { agreedHash: () => agreedHash } as unknown as DefinitionsCheckService;
  return {
    events: new EventsService(
      new JourneyClient(temporal, metrics, definitions),
      recorder,
      catalog,
      volume,
      rateLimit,
      metrics,
      config,
    ),
    calls,
  };
}

const event = {
  id: 'e1',
  customerId: 'c_1',
  name: 'cart.updated',
  category: 'customer_action' as const,
  properties: {},
};

describe('EventsService signal-with-start', () => {
  it('starts the journey with a static summary naming the customer', async () => {
    const { events, calls } = service(async () => ({}));
    await expect(events.accept(event)).resolves.toEqual({
      id: 'e1',
      status: 'accepted',
      workflowId: 'customer:c_1',
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.type).toBe(WORKFLOW_TYPE);
    expect(calls[0]?.options).toMatchObject({
      workflowId: 'customer:c_1',
      signal: eventSignal,
      args: [{ v: 2, customerId: 'c_1' }],
      staticSummary: 'Journey of customer c_1',
    });
  });

  it('names the definitions version every live worker runs, when there is one', async () => {
    const { events, calls } = service(async () => ({}), true, 'h1');
    await events.accept(event);
    expect(calls[0]?.options).toMatchObject({ args: [{ v: 2, customerId: 'c_1', definitions: 'h1' }] });
  });

  it('signals an event Postgres did not take as unrecorded (v: 1), for the journey to record', async () => {
    const { events, calls } = service(async () => ({}), false);
    await expect(events.accept(event)).resolves.toMatchObject({ status: 'accepted' });
    expect(calls[0]?.options).toMatchObject({ signalArgs: [{ v: 1, id: 'e1' }] });
    const ok = service(async () => ({}));
    await ok.events.accept(event);
    expect(ok.calls[0]?.options).toMatchObject({ signalArgs: [{ v: 2, id: 'e1' }] });
  });

  it('retries once when a concurrent first event won the start race', async () => {
    let n = 0;
    const { events, calls } = service(async () => {
      if (n++ === 0) throw new WorkflowExecutionAlreadyStartedError('started', 'customer:c_1', WORKFLOW_TYPE);
      return {};
    });
    await expect(events.accept(event)).resolves.toMatchObject({ status: 'accepted' });
    expect(calls).toHaveLength(2);
  });

  it('answers 503 when the retry fails too, and does not retry other errors', async () => {
    const raced = service(async () => {
      throw new WorkflowExecutionAlreadyStartedError('started', 'customer:c_1', WORKFLOW_TYPE);
    });
    await expect(raced.events.accept(event)).rejects.toMatchObject({ status: 503 });
    expect(raced.calls).toHaveLength(2);
    const down = service(async () => {
      throw new Error('unavailable');
    });
    await expect(down.events.accept({ ...event, id: 'e2' })).rejects.toMatchObject({ status: 503 });
    expect(down.calls).toHaveLength(1);
  });
});
