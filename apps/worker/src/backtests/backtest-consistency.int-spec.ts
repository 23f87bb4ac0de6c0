// Kairos issue 14 item 5: for generated histories, a backtest over the stored events gives exactly
// the matches of `triggers replay` over the same events exported to a file, and of a live
// journey that received them (the live part on a few cases: a journey costs a real workflow).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  customerWorkflowId,
  eventSignal,
  journeyQuery,
  journeyTraceQuery,
  WORKFLOW_TYPE,
  type EventSignal,
} from '@kairos/contracts';
import { BacktestEventsRepository, createPool, JourneyEventsRepository } from '@kairos/persistence';
import {
  emptyTally,
  runBacktestCustomer,
  tallyCustomer,
  type BacktestSpec,
  type MatchOutput,
} from '@kairos/triggers';
import { loadTriggerDir, parseEventsJsonl, runReplay } from '@kairos/triggers/node';
import type { Pool } from 'pg';
import { startKitWorker } from '@kairos/testing';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../../test/support/temporal-env';
import { loadDefinitionsFromDir } from '../worker';

const MIN = 60_000;
const EXAMPLES = path.resolve(__dirname, '..', '..', '..', '..', 'libs', 'triggers', 'examples');
const NAMES = [
  'cart.updated',
  'order.completed',
  'product.viewed',
  'signup.completed',
  'session.started',
  'pricing.viewed',
  'demo.viewed',
  'page.viewed',
];

type Gen = { name: string; gap: number; skew: number; cart: string; price: number; sku: string };
const eventArb: fc.Arbitrary<Gen> = fc.record({
  name: fc.constantFrom(...NAMES),
  gap: fc.integer({ min: 0, max: 90 * MIN }),
  skew: fc.integer({ min: 0, max: 5000 }),
  cart: fc.constantFrom('k1', 'k2'),
  price: fc.integer({ min: 50, max: 200 }),
  sku: fc.constantFrom('s1', 's2', 's3', 's4', 's5', 's6'),
});
const historyArb = fc.array(fc.array(eventArb, { minLength: 1, maxLength: 14 }), {
  minLength: 1,
  maxLength: 3,
});

type Stored = {
  customerId: string;
  id: string;
  name: string;
  ts: number;
  receivedAt: number;
  properties: Record<string, unknown>;
};

/** One case's customers and events (received times strictly increasing per customer). */
function materialise(history: Gen[][], prefix: string, start: number): Stored[] {
  return history.flatMap((events, c) => {
    let t = start;
    return events.map((g, i) => {
      t += g.gap + 1;
      const properties = { cart_id: g.cart, price: g.price, sku: g.sku, note: 'x'.repeat(i % 3) };
      return {
        customerId: `${prefix}-c${c}`,
        id: `e${i}`,
        name: g.name,
        ts: t - g.skew,
        receivedAt: t,
        properties,
      };
    });
  });
}

/** What a match is, for comparison: trigger, matchId, outcome (engine reasons grouped as the trace groups them). */
const brief = (customerId: string, m: Pick<MatchOutput, 'triggerId' | 'matchId' | 'status' | 'reason'>) =>
  `${customerId} ${m.triggerId} ${m.matchId} ${m.status}${m.reason ? ` ${m.reason === 'reentry' ? 'reentry' : 'arbitration'}` : ''}`;

describe('backtest consistency (real Postgres; live journeys on a real Temporal test server)', () => {
  let pool: Pool;
  let dir: string;
  const { triggers } = loadTriggerDir(EXAMPLES);
  // Deadlines of the generated histories (2001) are all before the end: every one fires.
  const spec: BacktestSpec = { triggers, from: Date.UTC(2000, 0, 1), to: Date.now() + 86_400_000 };

  beforeAll(() => {
    pool = createPool(testDatabaseUrl(), 'backtest-consistency', 2);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-backtest-'));
  });
  afterAll(async () => {
    await pool.end();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Stores the events as the gateway does, then reads them back through the backtest's reader. */
  async function backtest(events: Stored[], run = spec): Promise<{ lines: string[]; matches: number }> {
    await new JourneyEventsRepository(pool).recordAll(
      events.map((e) => ({
        customerId: e.customerId,
        eventId: e.id,
        name: e.name,
        occurredAt: new Date(e.ts),
        receivedAt: new Date(e.receivedAt),
        workflowId: customerWorkflowId(e.customerId),
        properties: e.properties,
      })),
    );
    const customers = [...new Set(events.map((e) => e.customerId))];
    const reader = new BacktestEventsRepository(pool);
    const lines: string[] = [];
    const tally = emptyTally(triggers);
    // The reader as the backtest activity uses it: only the property keys the triggers read.
    const keys = ['cart_id', 'price', 'sku'];
    for await (const c of reader.customers({ from: run.from, to: run.to, customers, propertyKeys: keys })) {
      for (const { output } of runBacktestCustomer(run, c.events))
        if (output.type === 'match') lines.push(brief(c.customerId, output));
      tallyCustomer(run, tally, c);
    }
    const matches = tally.triggers.reduce(
      (n, t) => n + t.matches + Object.values(t.suppressed).reduce((a, b) => a + b, 0),
      0,
    );
    return { lines, matches };
  }

  /** Exports the stored events to a JSON-lines file and runs `triggers replay` over it. */
  async function replayExport(customers: string[]): Promise<string[]> {
    const rows = await pool.query<{ line: string }>(
      `SELECT json_build_object('customerId', customer_id, 'id', event_id, 'name', name,
                'ts', to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'receivedAt', to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'properties', properties)::text AS line
       FROM journey_events WHERE customer_id = ANY($1) ORDER BY customer_id, received_at, event_id`,
      [customers],
    );
    const file = path.join(dir, `${randomUUID()}.jsonl`);
    fs.writeFileSync(file, `${rows.rows.map((r) => r.line).join('\n')}\n`);
    const parsed = parseEventsJsonl(fs.readFileSync(file, 'utf8'));
    expect(parsed.errors).toEqual([]);
    return runReplay(triggers, parsed.events, undefined, spec.to - 1)
      .filter((l) => l.type === 'match')
      .map((l) => brief(l.customerId as string, l as unknown as MatchOutput));
  }

  it('a backtest over stored events gives exactly the matches of `triggers replay` over their export', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(historyArb, async (history) => {
        const events = materialise(
          history,
          `bc${randomUUID().slice(0, 8)}`,
          Date.UTC(2001, 0, 1) + n++ * 86_400_000,
        );
        const bt = await backtest(events);
        expect(bt.lines).toEqual(await replayExport([...new Set(events.map((e) => e.customerId))]));
        expect(bt.matches).toBe(bt.lines.length);
      }),
      { numRuns: 40 },
    );
  });

  describe('and of the live journey that received them', () => {
    let env: TestWorkflowEnvironment;
    let worker: Awaited<ReturnType<typeof startKitWorker>>;
    const taskQueue = `backtest-consistency-${randomUUID()}`;

    beforeAll(async () => {
      env = await createTimeSkippingEnv();
      worker = await startKitWorker(env.nativeConnection, pool, taskQueue, {
        definitions: loadDefinitionsFromDir(EXAMPLES),
      });
    });
    afterAll(async () => {
      await worker?.stop();
      await env?.teardown();
    });

    /**
     * Sends the history to live journeys in workflow time: the test server's clock is moved by
     * each gap, and each event is stamped with the clock at its signal (as the gateway stamps
     * receivedAt); then the clock passes every deadline. Returns the events as stored and the
     * decisions the journeys kept.
     */
    async function live(
      history: Gen[][],
      prefix: string,
    ): Promise<{ events: Stored[]; lines: string[]; end: number }> {
      const planned = materialise(history, prefix, 0).sort((a, b) => a.receivedAt - b.receivedAt);
      const events: Stored[] = [];
      let clock = 0;
      for (const p of planned) {
        if (p.receivedAt > clock) await env.sleep(p.receivedAt - clock);
        clock = p.receivedAt;
        const receivedAt = await env.currentTimeMs();
        const e: Stored = { ...p, receivedAt, ts: receivedAt - (p.receivedAt - p.ts) };
        events.push(e);
        await env.client.workflow.signalWithStart(WORKFLOW_TYPE, {
          workflowId: customerWorkflowId(e.customerId),
          taskQueue,
          args: [{ v: 2, customerId: e.customerId }],
          signal: eventSignal,
          signalArgs: [{ v: 2, category: 'customer_action', ...e } satisfies EventSignal],
        });
      }
      // Past every deadline of the examples (the longest: 30 days of inactivity).
      await env.sleep(31 * 86_400_000);
      const end = await env.currentTimeMs();
      const lines: string[] = [];
      for (const c of [...new Set(events.map((e) => e.customerId))].sort()) {
        const handle = env.client.workflow.getHandle(customerWorkflowId(c));
        const expected = events.filter((e) => e.customerId === c).length;
        for (let i = 0; i < 100 && (await handle.query(journeyQuery)).counters.events < expected; i++)
          await new Promise((resolve) => setTimeout(resolve, 50));
        // Settled: two reads 200 ms apart agree (the deadlines' pass may still be running).
        let trace = await handle.query(journeyTraceQuery);
        for (let i = 0; i < 20; i++) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          const again = await handle.query(journeyTraceQuery);
          if (JSON.stringify(again) === JSON.stringify(trace)) break;
          trace = again;
        }
        for (const t of trace)
          if (t.kind === 'completed' && t.match)
            lines.push(brief(c, { triggerId: t.triggerId, ...t.match } as MatchOutput));
      }
      return { events, lines, end };
    }

    it('for a few generated histories', async () => {
      await fc.assert(
        fc.asyncProperty(historyArb, async (history) => {
          const { events, lines, end } = await live(history, `bl${randomUUID().slice(0, 8)}`);
          const bt = await backtest(events, { ...spec, to: end + 1 });
          expect(lines).toEqual(bt.lines);
        }),
        { numRuns: 4 },
      );
    });
  });
});
