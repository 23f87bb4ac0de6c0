// Abandoned carts for backtest tests: a draft trigger and stored cart events.
import type { Pool } from 'pg';
import { JourneyEventsRepository } from '@kairos/persistence';

/** A draft abandoned-cart trigger (backtests take drafts): `cart.updated`, then no `order.placed` for `window`. */
export const cartDraft = (id: string, window: string) => ({
  id,
  version: 1,
  pattern: {
    kind: 'seq',
    steps: [
      { kind: 'step', node: { kind: 'event', name: 'cart.updated', as: 'cart' } },
      { kind: 'absent', event: { kind: 'event', name: 'order.placed' }, for: window },
    ],
  },
});

/** Stores one `cart.updated` (`<customer>-cart`) per customer at `at`, as the gateway records events. */
export async function recordCarts(pool: Pool, customers: string[], at: Date): Promise<void> {
  await new JourneyEventsRepository(pool).recordAll(
    customers.map((customerId) => ({
      customerId,
      eventId: `${customerId}-cart`,
      name: 'cart.updated',
      occurredAt: at,
      receivedAt: at,
      workflowId: `customer:${customerId}`,
      properties: { cart_value: 10 },
    })),
  );
}
