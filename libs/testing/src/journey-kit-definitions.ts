// The trigger set, templates and policy of the journey tests, the history capture script and the
// journey benchmark: small, but exercising every response feature the worker has.
import type { LoadedDefinitions, RawTrigger } from '@kairos/worker';

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
