// Shared by the journey integration tests, the history capture script and the benchmark:
// a worker over real Postgres with inline definitions, and helpers to drive one customer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import {
  customerWorkflowId,
  QUERIES,
  SIGNALS,
  WORKFLOW_TYPE,
  type EventSignal,
  type JourneyView,
} from '@kairos/contracts';
import type { LoadedDefinitions, ProfileSource, RawTrigger } from './activities';
import { createKairosWorker, type KairosWorkerOptions } from './worker';
import type { Profile } from './workflows/journey-types';

/** A small trigger set exercising every response feature (used by tests and history capture). */
export const KIT_TRIGGERS: RawTrigger[] = [
  {
    id: 'abandoned-cart',
    version: 1,
    pattern: {
      kind: 'seq',
      steps: [
        { kind: 'step', node: { kind: 'event', name: 'cart.updated', as: 'cart' } },
        { kind: 'absent', event: { kind: 'event', name: 'order.completed' }, for: '2h' },
      ],
    },
    startPolicy: 'latest',
    priority: 10,
    response: {
      channels: { order: ['email', 'push'], strategy: 'fallback', fallbackAfter: '4h' },
      template: 'cart',
      exitOn: [{ kind: 'event', name: 'order.completed' }],
      conversion: {
        event: { kind: 'event', name: 'order.completed' },
        window: '7d',
        valuePath: 'properties.total',
      },
    },
  },
  {
    id: 'compare-then-price',
    version: 1,
    pattern: {
      kind: 'all',
      within: '1h',
      of: [
        { kind: 'event', name: 'product.compared', as: 'compare' },
        { kind: 'event', name: 'pricing.viewed', as: 'pricing' },
      ],
    },
    priority: 5,
    response: { channels: { order: ['email'] }, template: 'plain' },
  },
  {
    id: 'big-order',
    version: 1,
    pattern: {
      kind: 'event',
      name: 'order.placed',
      where: { path: 'properties.total', op: 'gt', value: 100 },
      as: 'order',
    },
    priority: 20,
    group: 'orders',
    response: { channels: { order: ['sms'] }, template: 'plain' },
  },
  {
    id: 'any-order',
    version: 1,
    pattern: { kind: 'event', name: 'order.placed', as: 'order' },
    priority: 1,
    group: 'orders',
    response: { channels: { order: ['email'] }, template: 'plain' },
  },
  {
    id: 'newsletter-signup',
    version: 1,
    pattern: { kind: 'event', name: 'newsletter.signup', as: 'signup' },
    priority: 2,
    response: { channels: { order: ['email'] }, template: 'plain' },
  },
  {
    id: 'trial-reminder',
    version: 1,
    pattern: { kind: 'event', name: 'trial.started', as: 'trial' },
    priority: 3,
    response: {
      delay: { type: 'fixed', duration: '1h' },
      channels: { order: ['email'] },
      template: 'plain',
      exitOn: [{ kind: 'event', name: 'subscription.purchased' }],
    },
  },
  {
    id: 'vip-churn-risk',
    version: 1,
    pattern: { kind: 'event', name: 'subscription.cancel_requested', as: 'cancel' },
    priority: 30,
    response: {
      channels: { order: ['webhook'] },
      template: 'plain',
      escalate: {
        when: { path: 'profile.attributes.tier', op: 'eq', value: 'vip' },
        to: '#success',
        sla: '30m',
        then: '#success-leads',
      },
    },
  },
  {
    id: 'price-test',
    version: 1,
    pattern: { kind: 'event', name: 'price.page', as: 'page' },
    priority: 4,
    response: {
      channels: { order: ['email'] },
      template: 'plain',
      experiment: {
        variants: [
          { id: 'now', weight: 1, delay: { type: 'none' } },
          { id: 'later', weight: 1, delay: { type: 'fixed', duration: '10m' } },
        ],
      },
    },
  },
  {
    id: 'ping',
    version: 1,
    pattern: { kind: 'event', name: 'ping', as: 'ping' },
    priority: 0,
    response: {
      channels: { order: ['webhook'] },
      template: 'plain',
      policy: { quietHours: 'ignore', caps: 'ignore' },
    },
  },
];

export const KIT_TEMPLATES: Record<string, string> = {
  cart: '---\nsubject: You left {{ cart.properties.items | default: "something" }} in your cart\nsms: Cart {{ cart.properties.cart_id }} waits\n---\nHi {{ profile.attributes.first_name | default: "there" }}, cart {{ cart.properties.cart_id }} is waiting.',
  plain:
    '---\nsubject: Hello from {{ trigger.id }}\n---\nHi {{ profile.attributes.first_name | default: "there" }} ({{ trigger.id }} v{{ trigger.version }}, variant {{ variant | default: "none" }})',
};

export const KIT_POLICY = {
  quietHours: { start: '21:00', end: '08:00' },
  caps: { email: 3, sms: 1, push: 3 },
  minGap: 0,
};

export function kitDefinitions(over: Partial<LoadedDefinitions> = {}): LoadedDefinitions {
  return { triggers: KIT_TRIGGERS, policy: KIT_POLICY, templates: KIT_TEMPLATES, ...over };
}

/** Profiles held in memory (the tests' profile source); quiet hours off unless a test sets them. */
export class MemoryProfiles implements ProfileSource {
  readonly profiles = new Map<string, Profile>();
  async get(customerId: string): Promise<Profile | null> {
    return (
      this.profiles.get(customerId) ?? {
        customerId,
        email: `${customerId}@example.com`,
        phone: '+15550100',
        pushTokens: ['tok'],
        timezone: 'UTC',
        quietHours: { start: '00:00', end: '00:00' },
      }
    );
  }
}

export function tempOutbox(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-outbox-'));
}

export async function startKitWorker(
  connection: NativeConnection,
  pool: Pool,
  taskQueue: string,
  extra: Partial<KairosWorkerOptions> = {},
): Promise<{ worker: Worker; running: Promise<void>; stop: () => Promise<void> }> {
  const worker = await createKairosWorker({
    connection,
    namespace: 'default',
    taskQueue,
    pool,
    definitions: kitDefinitions(),
    outboxDir: tempOutbox(),
    profiles: new MemoryProfiles(),
    ...extra,
  });
  const running = worker.run();
  return {
    worker,
    running,
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}

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
      args: [{ v: 1, customerId: this.id }],
      signal: SIGNALS.event,
      signalArgs: [signal],
    });
    return eventId;
  }

  async signal(name: string, payload: unknown): Promise<void> {
    await this.client.workflow.getHandle(this.workflowId).signal(name, payload);
  }

  async view(): Promise<JourneyView> {
    return this.client.workflow.getHandle(this.workflowId).query<JourneyView>(QUERIES.journey);
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
