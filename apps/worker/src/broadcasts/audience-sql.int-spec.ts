import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { BroadcastAudienceRepository, createPool } from '@kairos/persistence';
import { evaluatePred, type Pred } from '@kairos/triggers';
import { testDatabaseUrl } from '../../../../test/support/temporal-env';
import { compileAudience } from './audience-sql';

// Profiles covering each way a value can be absent, null, of another type, nested or in an array.
const PROFILES: Record<string, unknown>[] = [
  { email: 'a@x.io', attributes: { plan: 'pro', score: 12, tags: ['vip'], city: 'Berlin', n: { a: 1 } } },
  { email: 'b@y.io', attributes: { plan: 'free', score: 9.5, city: 'Bern' } },
  { attributes: { plan: 'pro', score: '12', city: null } },
  { attributes: { plan: ['pro'], score: true, n: [{ a: 1 }] } },
  { timezone: 'Europe/Berlin', attributes: { plan: 'PRO', score: -3, n: { a: '1' } } },
  {},
  { attributes: { plan: null, score: 0, city: 'Berlin-Mitte', '0': 'zero' } },
];

const PREDICATES: Pred[] = [
  { path: 'profile.attributes.plan', op: 'eq', value: 'pro' },
  { path: 'profile.attributes.plan', op: 'neq', value: 'pro' },
  { path: 'profile.attributes.plan', op: 'eq', value: null },
  { path: 'profile.attributes.score', op: 'gt', value: 9.5 },
  { path: 'profile.attributes.score', op: 'lte', value: 0 },
  { path: 'profile.attributes.score', op: 'in', values: [12, '12', null] },
  { path: 'profile.attributes.plan', op: 'nin', values: ['pro', 'free'] },
  { path: 'profile.attributes.city', op: 'exists' },
  { path: 'profile.attributes.city', op: 'missing' },
  { path: 'profile.attributes.city', op: 'startsWith', value: 'Ber' },
  { path: 'profile.attributes.city', op: 'endsWith', value: 'lin' },
  { path: 'profile.email', op: 'contains', value: '@y.' },
  { path: 'profile.attributes.n.a', op: 'eq', value: 1 },
  { path: 'profile.attributes.n.0', op: 'exists' },
  { path: 'profile.attributes.tags', op: 'exists' },
  { op: 'not', arg: { path: 'profile.attributes.plan', op: 'eq', value: 'pro' } },
  {
    op: 'or',
    args: [
      { path: 'profile.timezone', op: 'eq', value: 'Europe/Berlin' },
      {
        op: 'and',
        args: [
          { path: 'profile.attributes.score', op: 'gte', value: 9 },
          { path: 'profile.attributes.plan', op: 'eq', value: 'free' },
        ],
      },
    ],
  },
];

describe('audience predicates compiled to SQL (real Postgres)', () => {
  let pool: Pool;
  let audience: BroadcastAudienceRepository;
  const run = `aud${randomUUID().slice(0, 8)}`;
  const ids = PROFILES.map((_, i) => `${run}-${i}`);

  beforeAll(async () => {
    pool = createPool(testDatabaseUrl());
    audience = new BroadcastAudienceRepository(pool);
    await pool.query(
      `INSERT INTO customers (customer_id, profile) SELECT * FROM unnest($1::text[], $2::jsonb[])`,
      [ids, PROFILES.map((p) => JSON.stringify(p))],
    );
  });
  afterAll(async () => {
    await pool.query('DELETE FROM customers WHERE customer_id = ANY($1)', [ids]);
    await pool.end();
  });

  it.each(PREDICATES.map((p) => [JSON.stringify(p), p] as const))(
    '%s selects what evaluatePred selects',
    async (_, pred) => {
      const mine: Pred = {
        op: 'and',
        args: [{ path: 'profile.customerId', op: 'startsWith', value: `${run}-` }, pred],
      };
      const selected = await audience.page({
        broadcastId: 'unused',
        audience: { kind: 'where', where: compileAudience(mine), activeSince: null },
        after: null,
        limit: 100,
      });
      const expected = ids.filter((id, i) =>
        evaluatePred(pred, { profile: { ...PROFILES[i], customerId: id } }),
      );
      expect(selected.map((m) => m.customerId)).toEqual(expected);
    },
  );

  it('pages in customer id order after the cursor', async () => {
    const where = compileAudience({ path: 'profile.customerId', op: 'startsWith', value: `${run}-` });
    const first = await audience.page({
      broadcastId: 'x',
      audience: { kind: 'where', where, activeSince: null },
      after: null,
      limit: 3,
    });
    const rest = await audience.page({
      broadcastId: 'x',
      audience: { kind: 'where', where, activeSince: null },
      after: first[2]!.customerId,
      limit: 100,
    });
    expect([...first, ...rest].map((m) => m.customerId)).toEqual([...ids].sort());
    expect(first.every((m) => !m.hasJourney)).toBe(true);
  });
});
