import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { loadSyntheticReportHistory, planNodes, type PlanNode } from '@kairos/testing';
import { createPool, ReportsRepository, type ConversionGoal } from '@kairos/persistence';
import { testDatabaseUrl } from '../../../../test/support/temporal-env';

/**
 * The report queries read by index, not by scanning the big tables: 200k deliveries (and as many
 * fires, plus exposures, holdouts, responses and goal events) over 60 days, a one-day report.
 * The 10M-row figures are a bench (scripts/bench/reports.bench.ts), not a test.
 */
describe('report query plans use their indexes', () => {
  let pool: Pool;
  const P = `p${randomUUID().slice(0, 6)}`;
  const DAYS = 60;
  const start = Date.parse('2025-06-01T00:00:00Z');
  const range = {
    from: new Date(start + 30 * 86_400_000),
    to: new Date(start + 31 * 86_400_000),
    triggerId: null,
  };
  const goals: ConversionGoal[] = [
    { triggerId: `${P}-bulk`, eventName: 'order.completed', windowMs: 7 * 86_400_000, valuePath: ['total'] },
  ];

  beforeAll(async () => {
    pool = createPool(testDatabaseUrl(), 'reports-plans-test', 2);
    await loadSyntheticReportHistory(pool, {
      prefix: P,
      deliveries: 200_000,
      customers: 20_000,
      days: DAYS,
      start,
    });
  }, 120_000);

  afterAll(async () => {
    await pool?.end();
  });

  async function explain(name: keyof typeof ReportsRepository.sql): Promise<PlanNode[]> {
    const r = await pool.query<{ 'QUERY PLAN': unknown }>(
      `EXPLAIN (FORMAT JSON) ${ReportsRepository.sql[name]}`,
      ReportsRepository.params(name, range, { bucketSeconds: 3600, goals, model: 'last-touch' }),
    );
    return planNodes(r.rows[0]!['QUERY PLAN']);
  }

  const BIG = ['attribution_log', 'responses', 'journey_events', 'event_volume'];
  const seqScansOnBigTables = (nodes: PlanNode[]) =>
    nodes.filter((n) => n.type === 'Seq Scan' && BIG.includes(n.relation ?? '')).map((n) => n.relation);
  const indexes = (nodes: PlanNode[]) => new Set(nodes.map((n) => n.index).filter(Boolean));
  /** Goal events are found per customer, by either journey_events index led by customer_id. */
  const byCustomer = (index: string | undefined) =>
    index === 'journey_events_customer_name_received_idx' || index === 'journey_events_customer_received_idx';

  it('trigger volume reads the fires of the range through attribution_kind_at_idx', async () => {
    const nodes = await explain('triggerVolume');
    expect(seqScansOnBigTables(nodes)).toEqual([]);
    expect(indexes(nodes)).toContain('attribution_kind_at_idx');
  });

  it('event volume reads the minutes of the range through an event_volume index', async () => {
    const nodes = await explain('eventVolume');
    expect(seqScansOnBigTables(nodes)).toEqual([]);
    const used = [...indexes(nodes)];
    expect(used.some((i) => i === 'event_volume_minute_idx' || i === 'event_volume_pkey')).toBe(true);
  });

  it('responses join each delivery to its responses by responses_pkey', async () => {
    const nodes = await explain('responses');
    expect(seqScansOnBigTables(nodes)).toEqual([]);
    expect([...indexes(nodes)]).toEqual(
      expect.arrayContaining(['attribution_kind_at_idx', 'responses_pkey']),
    );
  });

  it('attribution finds goal events per touch through an index led by the customer', async () => {
    const nodes = await explain('attribution');
    expect(seqScansOnBigTables(nodes)).toEqual([]);
    const used = [...indexes(nodes)];
    expect(used).toContain('attribution_kind_at_idx');
    expect(used.some(byCustomer)).toBe(true);
  });

  it('cohorts (lift, timing) reach sibling log rows by match id and goal events by customer', async () => {
    const nodes = await explain('cohorts');
    expect(seqScansOnBigTables(nodes)).toEqual([]);
    const used = [...indexes(nodes)];
    expect(used).toEqual(
      expect.arrayContaining(['attribution_kind_at_idx', 'attribution_log_customer_match_kind_channel_key']),
    );
    expect(used.some(byCustomer)).toBe(true);
    // The engagement lookup (opened or clicked) may take the partial index of first opens and clicks.
    expect(used.some((i) => i === 'responses_pkey' || i === 'responses_first_engagement_idx')).toBe(true);
  });

  it('answers each report over a day of the 200k-delivery set in well under a second', async () => {
    const repo = new ReportsRepository(pool);
    const t0 = performance.now();
    const [fires, responses, attribution, cohorts] = await Promise.all([
      repo.triggerVolume(range, 3600),
      repo.responses(range),
      repo.attribution(range, goals, 'last-touch'),
      repo.cohorts(range, goals),
    ]);
    const ms = performance.now() - t0;
    const mine = <T extends { triggerId?: string; key?: string }>(rows: T[]) =>
      rows.filter((r) => (r.triggerId ?? r.key) === `${P}-bulk`);
    // 200k over 60 days: about 3.3k deliveries in the day.
    const delivered = mine(responses).reduce((s, r) => s + r.deliveries, 0);
    expect(delivered).toBeGreaterThan(3000);
    expect(delivered).toBeLessThan(3700);
    // One holdout match per nine sent ones.
    expect(mine(fires).reduce((s, r) => s + r.count, 0)).toBeCloseTo(delivered / 0.9, -1);
    expect(mine(attribution).reduce((s, r) => s + r.conversions, 0)).toBeGreaterThan(0);
    expect(mine(cohorts).reduce((s, r) => s + r.matches, 0)).toBeGreaterThan(delivered);
    expect(ms).toBeLessThan(5_000);
  });
});
