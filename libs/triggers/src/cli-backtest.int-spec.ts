import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createPool, JourneyEventsRepository } from '@kairos/persistence';
import { runBacktestCommand } from './cli-backtest';

const DAY = 86_400_000;
const EXAMPLES = path.resolve(__dirname, '..', 'examples');

/** `npm run triggers -- backtest` against a real PostgreSQL (the integration run's database). */
describe('triggers backtest (command line)', () => {
  const url = process.env.KAIROS_TEST_DATABASE_URL as string;
  const p = `cli${randomUUID().slice(0, 8)}`;
  // A day nobody else writes to: the run without --customer counts this suite's events only.
  const day0 = Date.UTC(2003, 0, 1) + Math.floor(Math.random() * 360) * DAY;
  const iso = (m: number) => new Date(day0 + m * 60_000).toISOString();

  async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runBacktestCommand(
      args,
      { DATABASE_URL: url },
      { out: (l) => out.push(l), err: (l) => err.push(l) },
    );
    return { code, out, err };
  }

  beforeAll(async () => {
    const pool = createPool(url, 'cli-backtest-test', 1);
    const row = (customerId: string, eventId: string, name: string, m: number, properties = {}) => ({
      customerId,
      eventId,
      name,
      occurredAt: new Date(iso(m)),
      receivedAt: new Date(iso(m)),
      workflowId: `customer:${customerId}`,
      properties,
    });
    await new JourneyEventsRepository(pool).recordAll([
      row(`${p}-a`, 'a1', 'cart.updated', 60, { cart_id: 'k1' }),
      row(`${p}-b`, 'b1', 'cart.updated', 60, { cart_id: 'k1' }),
      row(`${p}-b`, 'b2', 'order.completed', 90, { cart_id: 'k1' }),
    ]);
    await pool.end();
  });

  it('prints the results of a backtest over the stored events of the range', async () => {
    const r = await run(['--from', iso(0), '--to', iso(24 * 60), '--triggers', EXAMPLES]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const results = JSON.parse(r.out.join('\n')) as {
      triggers: { triggerId: string; samples: unknown[] }[];
    };
    expect(results).toMatchObject({ events: 3, customers: 2 });
    const cart = results.triggers.find((t) => t.triggerId === 'abandoned-cart');
    expect(cart).toMatchObject({ matches: 1, customersMatched: 1 });
    expect(cart?.samples[0]).toMatchObject({ customerId: `${p}-a`, bindings: { cart: ['a1'] } });
  });

  it('prints one customer’s trace, one JSON line per decision', async () => {
    const r = await run([
      '--from',
      iso(0),
      '--to',
      iso(24 * 60),
      '--triggers',
      EXAMPLES,
      '--customer',
      `${p}-b`,
      '--trace',
    ]);
    expect(r.code).toBe(0);
    const kinds = r.out.map((l) => JSON.parse(l) as { triggerId: string; kind: string; cause?: string });
    expect(
      kinds.filter((e) => e.triggerId === 'abandoned-cart').map((e) => `${e.kind} ${e.cause ?? ''}`.trim()),
    ).toEqual(['opened', 'killed negative']);
  });

  it('explains bad usage with exit code 2', async () => {
    const r = await run(['--from', iso(0), '--trace']);
    expect(r.code).toBe(2);
    expect(r.err).toEqual(
      expect.arrayContaining(['--to <ISO|ms> is required', '--trace needs --customer <id>']),
    );
  });
});
