import type { ModelEventsRepository } from '@kairos/persistence';
import type { EventReader } from './event-reader';
import type { CustomerHistory, HistoryEvent } from './history';

/** Customers read per query: bounded memory per round trip, few round trips. */
export const BATCH = 5000;

/**
 * Reads the histories of `ids` (sorted) in `[from, to)` from PostgreSQL, a batch at a time:
 * events as the model's reader sees them, message responses as `message.*`, and `since`: when
 * the customer's record was created (tenure also counts its first event in the window).
 */
export async function* readHistories(
  repo: ModelEventsRepository,
  ids: readonly string[],
  from: number,
  to: number,
  reader: EventReader,
): AsyncGenerator<CustomerHistory[]> {
  const responses = await repo.responses(new Date(from), new Date(to));
  const propertyNames = [...reader.propertyNames];
  const read = (batch: readonly string[]) => {
    const p = Promise.all([
      repo.eventsOf(batch, new Date(from), new Date(to), propertyNames),
      repo.createdAt(batch),
    ]);
    // Awaited below; marked handled so a consumer that stops early leaves no unhandled rejection.
    p.catch(() => undefined);
    return p;
  };
  // The next batch is read while the caller works on this one.
  let next = ids.length > 0 ? read(ids.slice(0, BATCH)) : null;
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const [rows, created] = await next!;
    next = i + BATCH < ids.length ? read(ids.slice(i + BATCH, i + 2 * BATCH)) : null;
    const byCustomer = new Map<string, HistoryEvent[]>();
    for (const [customerId, name, at, properties] of rows) {
      const e = reader.read(name, at, properties);
      const list = byCustomer.get(customerId);
      if (list) list.push(e);
      else byCustomer.set(customerId, [e]);
    }
    yield batch.map((customerId) => {
      const events = byCustomer.get(customerId) ?? [];
      const extra = responses.get(customerId);
      if (extra) {
        for (const r of extra) events.push(reader.read(r.name, r.at, null));
        events.sort((a, b) => a.at - b.at);
      }
      return { customerId, since: created.get(customerId) ?? Infinity, events };
    });
  }
}
