/**
 * The demo's churn signal (docs/models.md §7): 120 days of history before the demo's day, in
 * which about a third of the customers fade out (fewer sessions, newsletters left unopened);
 * customers gone by the end of it do not come back during the day. Then the training Schedule
 * is triggered, so the model panel of /dashboard shows a card without waiting a week.
 */
import { Client, Connection } from '@temporalio/client';
import { generateChurnHistory } from '@kairos/models';
import type { DemoEvent as DayEvent } from './demo-data';

const DAY = 86_400_000;

/** The history to import, and the day's events without the customers who are gone. */
export function plantChurnSignal<E extends DayEvent>(
  seed: number,
  customers: number,
  dayStart: number,
  day: readonly E[],
): { history: DayEvent[]; day: E[]; gone: number } {
  const generated = generateChurnHistory({
    customers,
    end: dayStart,
    seed,
    idOf: (c) => `demo-${seed}-${String(c).padStart(5, '0')}`,
  });
  const gone = new Set(
    generated
      .filter((c) => !c.events.some((e) => e.name === 'session.started' && e.at >= dayStart - 14 * DAY))
      .map((c) => c.customerId),
  );
  const history = generated.flatMap((c) =>
    c.events.map((e) => ({
      id: e.id,
      customerId: c.customerId,
      name: e.name,
      occurredAt: new Date(e.at).toISOString(),
      source: 'web',
      properties: e.properties,
    })),
  );
  return { history, day: day.filter((e) => !gone.has(e.customerId)), gone: gone.size };
}

/** Starts the churn model's training now through its Schedule (created by the worker at start). */
export async function trainChurnNow(
  address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
): Promise<string> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 3000 });
    const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
    await client.schedule.getHandle('kairos-model-train:churn').trigger();
    return 'churn training started (Schedule kairos-model-train:churn): see /dashboard, or `npm run models -- list`';
  } catch (err) {
    return `churn training not started (${err instanceof Error ? err.message.slice(0, 120) : String(err)}): run \`npm run models -- train churn\``;
  } finally {
    await connection?.close();
  }
}
