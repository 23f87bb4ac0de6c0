// The `score` trigger pattern in a real journey (docs/triggers.md §3.14), on the time-skipping
// server with real Postgres: scores are written as the models' scoring writes them and the journey
// is told with the models' own notifier; the predictive trigger fires once on the crossing and not
// again within hysteresis, and a backtest over the recorded events finds the same match.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { JourneyView } from '@kairos/contracts';
import { notifyJourneys } from '@kairos/models';
import {
  AttributionRepository,
  BacktestEventsRepository,
  CustomersRepository,
  ModelScoresRepository,
  OutboxRepository,
} from '@kairos/persistence';
import { propertyKeysRead, runBacktestCustomer, SCORE_EVENT, TriggerSchema } from '@kairos/triggers';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../test/support/temporal-env';
import type { RawTrigger } from './activities';
import { startDbJourneyWorker, type Customer, type DbJourneyWorker } from '@kairos/testing';

const MIN = 60_000;
const MODEL = `churn_${randomUUID().slice(0, 8)}`;
const CHURN_SAVE: RawTrigger = {
  id: 'churn-save',
  version: 1,
  pattern: { kind: 'score', model: MODEL, gte: 0.7 },
  response: { channels: { order: ['email'] }, template: 'plain' },
};

describe('score trigger in journeys (time-skipping server, real Postgres)', () => {
  let env: TestWorkflowEnvironment;
  let kit: DbJourneyWorker;
  const repos = () => ({
    scores: new ModelScoresRepository(kit.pool),
    outbox: new OutboxRepository(kit.pool),
    attribution: new AttributionRepository(kit.pool),
  });

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    kit = await startDbJourneyWorker(env, testDatabaseUrl(), 'journey-score', [CHURN_SAVE]);
  });

  afterAll(async () => {
    await kit?.stop();
    await env?.teardown();
  });

  /** A customer with an email address and consent, whose responses go out at once. */
  async function reachableCustomer(): Promise<Customer> {
    const c = kit.customer();
    await new CustomersRepository(kit.pool).upsert(c.id, {
      email: `${c.id}@example.com`,
      consent: { email: true },
      quietHours: { start: '00:00', end: '00:00' },
    });
    return c;
  }
  const responded = (v: JourneyView): boolean =>
    v.history.some((h) => h.triggerId === 'churn-save') && v.pendingResponses.length === 0;

  /** What a scoring pass does: write the score (if it moved), then signal the journey. */
  async function score(c: Customer, value: number): Promise<void> {
    await env.sleep(MIN);
    const at = await env.currentTimeMs();
    const moved = await repos().scores.write(MODEL, 1, new Date(at), [{ customerId: c.id, value }]);
    expect(moved).toEqual([c.id]);
    expect(await notifyJourneys(env.client, moved, at)).toBe(1);
    await c.until(
      (v) => v.recentEvents.some((e) => e.name === SCORE_EVENT && e.id.endsWith(`:${value}`)),
      `the journey to take in the score ${value}`,
    );
  }
  const sends = async (c: Customer): Promise<string[]> =>
    (await repos().outbox.listForCustomer(c.id))
      .filter((r) => r.triggerId === 'churn-save')
      .map((r) => r.matchId);
  const fired = async (c: Customer): Promise<string[]> =>
    (await repos().attribution.listForCustomer(c.id))
      .filter((a) => a.triggerId === 'churn-save' && a.kind === 'fired')
      .map((a) => a.matchId);

  it('fires once when the score crosses 0.7, not again at 0.65 → 0.72 (hysteresis), and a backtest agrees', async () => {
    const c = await reachableCustomer();
    await c.send('hello');
    await c.until((v) => v.counters.events >= 1, 'the journey to start');

    await score(c, 0.5);
    expect(await fired(c)).toEqual([]);
    await score(c, 0.72);
    await c.until(responded, 'the predictive response');
    expect(await sends(c)).toHaveLength(1);
    await score(c, 0.65);
    await score(c, 0.72);
    // Let anything the last score could still cause run before judging.
    await env.sleep(MIN);
    await c.until(responded, 'nothing pending');
    expect(await sends(c)).toHaveLength(1);
    const matchIds = await fired(c);
    expect(matchIds).toHaveLength(1);

    // The score events are recorded like any event: a backtest over them gives the same match.
    const triggers = [TriggerSchema.parse(CHURN_SAVE)];
    const to = (await env.currentTimeMs()) + 1;
    const stored: { id: string; name: string }[] = [];
    const backtested: string[] = [];
    for await (const cust of new BacktestEventsRepository(kit.pool).customers({
      from: 0,
      to,
      customers: [c.id],
      propertyKeys: propertyKeysRead(triggers),
    })) {
      stored.push(...cust.events);
      for (const o of runBacktestCustomer({ triggers, from: 0, to }, cust.events))
        if (o.output.type === 'match' && o.output.status === 'fired') backtested.push(o.output.matchId);
    }
    expect(stored.filter((e) => e.name === SCORE_EVENT)).toHaveLength(4);
    expect(backtested).toEqual(matchIds);
  });

  it('a customer scored past the threshold before the journey started fires at its first pass', async () => {
    const c = await reachableCustomer();
    await repos().scores.write(MODEL, 1, new Date(await env.currentTimeMs()), [
      { customerId: c.id, value: 0.9 },
    ]);
    await c.send('hello');
    await c.until(responded, 'the predictive response');
    expect(await fired(c)).toHaveLength(1);
  });
});
