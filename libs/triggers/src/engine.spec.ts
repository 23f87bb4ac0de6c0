import { createEngine } from './engine';
import { ev, HOUR, MIN, run, trig } from './engine.fixtures';

describe('engine: atoms and predicates', () => {
  it('fires a lone atom on every qualifying event and ignores others', () => {
    const t = trig({
      pattern: { kind: 'event', name: 'a', where: { path: 'properties.x', op: 'gt', value: 1 } },
    });
    expect(
      run(
        [t],
        [
          ev('e1', 'a', 1, { x: 2 }),
          ev('e2', 'a', 2, { x: 1 }),
          ev('e3', 'b', 3, { x: 5 }),
          ev('e4', 'a', 4, { x: '5' }),
        ],
      ),
    ).toEqual(['t e1@1']);
  });

  it('reports bindings by as name and by step index', () => {
    const t = trig({
      pattern: {
        kind: 'seq',
        steps: [
          { kind: 'step', node: { kind: 'event', name: 'a', as: 'first' } },
          { kind: 'step', node: { kind: 'event', name: 'b' } },
        ],
      },
    });
    const engine = createEngine([t]);
    engine.ingest(ev('e1', 'a', 1));
    const [m] = engine.ingest(ev('e2', 'b', 2));
    expect(m).toMatchObject({
      type: 'match',
      bindings: { first: ['e1'], '1': ['e2'] },
      eventIds: ['e1', 'e2'],
      kind: 'event',
      matchedAt: 2,
      status: 'fired',
      priority: 0,
    });
  });
});

describe('engine: seq with relaxed and strict contiguity', () => {
  const steps = (contiguity?: 'strict') => [
    { kind: 'step', node: { kind: 'event', name: 'a' } },
    { kind: 'step', node: { kind: 'event', name: 'b' }, ...(contiguity ? { contiguity } : {}) },
  ];
  // Flink CEP documentation, "Contiguity within looping patterns"-style example: pattern
  // "a b" on the stream a1 c b1 b2, where c is an event the trigger sees (its name appears in
  // the pattern through a branch that never qualifies). Flink: strict (next) -> no match;
  // relaxed (followedBy) -> {a1 b1}.
  const seenC = (contiguity?: 'strict') =>
    trig({
      pattern: {
        kind: 'seq',
        steps: [
          {
            kind: 'step',
            node: {
              kind: 'any',
              of: [
                { kind: 'event', name: 'a' },
                { kind: 'event', name: 'c', where: { path: 'properties.never', op: 'exists' } },
              ],
            },
          },
          { kind: 'step', node: { kind: 'event', name: 'b' }, ...(contiguity ? { contiguity } : {}) },
        ],
      },
    });
  const flinkStream = () => [ev('a1', 'a', 1), ev('c', 'c', 2), ev('b1', 'b', 3), ev('b2', 'b', 4)];
  it('Flink example, relaxed: the first qualifying later event binds ({a1 b1})', () => {
    expect(run([seenC()], flinkStream())).toEqual(['t a1,b1@3']);
  });
  it('Flink example, strict: a relevant non-matching event in between prevents the match', () => {
    expect(run([seenC('strict')], flinkStream())).toEqual([]);
  });
  it('relaxed: events the trigger does not see are skipped; pastLast keeps one match per key', () => {
    const t = trig({ pattern: { kind: 'seq', steps: steps() } });
    expect(
      run([t], [ev('a1', 'a', 1), ev('x1', 'x', 2), ev('a2', 'a', 3), ev('b1', 'b', 4), ev('b2', 'b', 5)]),
    ).toEqual(['t a1,b1@4']);
  });

  it('relaxed with overlap: every open partial completes, in start order', () => {
    const t = trig({ afterMatch: 'overlap', pattern: { kind: 'seq', steps: steps() } });
    expect(run([t], [ev('a1', 'a', 1), ev('a2', 'a', 3), ev('b1', 'b', 4), ev('b2', 'b', 5)])).toEqual([
      't a1,b1@4',
      't a2,b1@4',
    ]);
  });

  it('strict: a relevant event that fails the next step kills the partial', () => {
    const t = trig({
      pattern: {
        kind: 'seq',
        steps: [
          { kind: 'step', node: { kind: 'event', name: 'a' } },
          { kind: 'step', node: { kind: 'event', name: 'b' }, contiguity: 'strict' },
          { kind: 'step', node: { kind: 'event', name: 'c' } },
        ],
      },
    });
    // a1 then c (relevant, fails "b") kills a1's partial; a2 b1 c2 completes.
    expect(
      run(
        [t],
        [
          ev('a1', 'a', 1),
          ev('c1', 'c', 2),
          ev('b0', 'b', 3),
          ev('a2', 'a', 4),
          ev('b1', 'b', 5),
          ev('c2', 'c', 6),
        ],
      ),
    ).toEqual(['t a2,b1,c2@6']);
  });

  it('strict ignores events the trigger does not see', () => {
    const t = trig({ pattern: { kind: 'seq', steps: steps('strict') } });
    expect(run([t], [ev('a1', 'a', 1), ev('x1', 'x', 2), ev('b1', 'b', 3)])).toEqual(['t a1,b1@3']);
  });

  it('each step binds strictly after the previous binding (an event cannot bind two steps)', () => {
    const t = trig({
      pattern: {
        kind: 'seq',
        steps: [
          { kind: 'step', node: { kind: 'event', name: 'a' } },
          { kind: 'step', node: { kind: 'event', name: 'a' } },
        ],
      },
    });
    expect(run([t], [ev('a1', 'a', 1), ev('a2', 'a', 2), ev('a3', 'a', 3), ev('a4', 'a', 4)])).toEqual([
      't a1,a2@2',
      't a3,a4@4',
    ]);
  });

  it('seq.within is half-open from the first binding', () => {
    const t = trig({ pattern: { kind: 'seq', within: 10, steps: steps() } });
    expect(run([t], [ev('a1', 'a', 0), ev('b1', 'b', 10)])).toEqual([]);
    expect(run([t], [ev('a1', 'a', 0), ev('b1', 'b', 9)])).toEqual(['t a1,b1@9']);
  });

  it('maxGap bounds the gap to the previous step', () => {
    const t = trig({
      pattern: {
        kind: 'seq',
        steps: [
          { kind: 'step', node: { kind: 'event', name: 'a' } },
          { kind: 'step', node: { kind: 'event', name: 'b' } },
          { kind: 'step', node: { kind: 'event', name: 'c' }, maxGap: 5 },
        ],
      },
    });
    expect(run([t], [ev('a1', 'a', 0), ev('b1', 'b', 100), ev('c1', 'c', 105)])).toEqual([]);
    expect(run([t], [ev('a1', 'a', 0), ev('b1', 'b', 100), ev('c1', 'c', 104)])).toEqual(['t a1,b1,c1@104']);
  });

  it('eqRef compares with the event an earlier step bound', () => {
    const t = trig({
      pattern: {
        kind: 'seq',
        steps: [
          { kind: 'step', node: { kind: 'event', name: 'view', as: 'v' } },
          {
            kind: 'step',
            node: {
              kind: 'event',
              name: 'buy',
              where: { path: 'properties.sku', op: 'eqRef', ref: { as: 'v', path: 'properties.sku' } },
            },
          },
        ],
      },
    });
    expect(
      run(
        [t],
        [
          ev('v1', 'view', 1, { sku: 'A' }),
          ev('b1', 'buy', 2, { sku: 'B' }),
          ev('b2', 'buy', 3, { sku: 'A' }),
        ],
      ),
    ).toEqual(['t v1,b2@3']);
  });
});

describe('engine: absence', () => {
  const cart = trig({
    id: 'cart',
    pattern: {
      kind: 'seq',
      steps: [
        { kind: 'step', node: { kind: 'event', name: 'cart.updated', as: 'cart' } },
        { kind: 'absent', event: { kind: 'event', name: 'order.completed' }, for: '2h' },
      ],
    },
  });

  it('completes at the deadline with kind absence and matchedAt = deadline', () => {
    expect(run([cart], [ev('c1', 'cart.updated', 0)], undefined, 3 * HOUR)).toEqual([
      `cart c1 absence@${2 * HOUR}`,
    ]);
  });

  it('a qualifying event before the deadline kills it', () => {
    expect(
      run(
        [cart],
        [ev('c1', 'cart.updated', 0), ev('o1', 'order.completed', 2 * HOUR - 1)],
        undefined,
        3 * HOUR,
      ),
    ).toEqual([]);
  });

  it('a qualifying event exactly at the deadline is too late: deadlines go before same-time events', () => {
    expect(
      run([cart], [ev('c1', 'cart.updated', 0), ev('o1', 'order.completed', 2 * HOUR)], undefined, 3 * HOUR),
    ).toEqual([`cart c1 absence@${2 * HOUR}`]);
  });

  it('nextWakeup reports the deadline', () => {
    const e = createEngine([cart]);
    e.ingest(ev('c1', 'cart.updated', 1000));
    expect(e.nextWakeup()).toBe(1000 + 2 * HOUR);
    expect(e.partials()).toEqual([
      { triggerId: 'cart', key: '', startedAt: 1000, deadline: 1000 + 2 * HOUR },
    ]);
  });

  it('absent in the middle kills the partial if it occurs before the next step', () => {
    const t = trig({
      pattern: {
        kind: 'seq',
        steps: [
          { kind: 'step', node: { kind: 'event', name: 'a' } },
          { kind: 'absent', event: { kind: 'event', name: 'x' } },
          { kind: 'step', node: { kind: 'event', name: 'b' } },
        ],
      },
    });
    expect(run([t], [ev('a1', 'a', 1), ev('x1', 'x', 2), ev('b1', 'b', 3)])).toEqual([]);
    expect(run([t], [ev('a1', 'a', 1), ev('b1', 'b', 3), ev('x1', 'x', 4)])).toEqual(['t a1,b1@3']);
  });

  it('absence with eqRef only counts the matching order', () => {
    const t = trig({
      id: 'cart',
      correlate: { by: ['properties.cart_id'] },
      limits: { maxKeys: 8 },
      pattern: {
        kind: 'seq',
        steps: [
          { kind: 'step', node: { kind: 'event', name: 'cart.updated', as: 'cart' } },
          { kind: 'absent', event: { kind: 'event', name: 'order.completed' }, for: 100 },
        ],
      },
    });
    expect(
      run(
        [t],
        [
          ev('c1', 'cart.updated', 0, { cart_id: 'A' }),
          ev('c2', 'cart.updated', 1, { cart_id: 'B' }),
          ev('o1', 'order.completed', 50, { cart_id: 'A' }),
        ],
        undefined,
        500,
      ),
    ).toEqual(['cart[B] c2 absence@101']);
  });
});

describe('engine: inactivity', () => {
  const t = trig({ pattern: { kind: 'inactivity', event: { kind: 'event', name: 'login' }, for: 100 } });
  it('fires once per silent period, measured from activation or the last qualifying event', () => {
    expect(run([t], [ev('x', 'other', 0), ev('l1', 'login', 50), ev('y', 'other', 400)])).toEqual([
      't l1 absence@150',
    ]);
  });
  it('fires from activation when nothing qualifies', () => {
    expect(run([t], [ev('x', 'other', 0)], undefined, 250)).toEqual(['t  absence@100']);
  });
});

describe('engine: count', () => {
  const count = (extra: Record<string, unknown> = {}) =>
    trig({
      pattern: { kind: 'count', event: { kind: 'event', name: 'v' }, atLeast: 3, within: 100, ...extra },
    });
  it('is satisfied when atLeast events lie in (t - within, t] and binds the most recent', () => {
    expect(
      run([count()], [ev('v1', 'v', 0), ev('v2', 'v', 50), ev('v3', 'v', 100), ev('v4', 'v', 120)]),
    ).toEqual(['t v2,v3,v4@120']);
  });
  it('pastLast discards the bound window entries', () => {
    expect(
      run(
        [count()],
        ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7'].map((id, i) => ev(id, 'v', i)),
      ),
    ).toEqual(['t v1,v2,v3@2', 't v4,v5,v6@5']);
  });
  it('overlap slides by one', () => {
    expect(
      run(
        [count()].map((t) => ({ ...t, afterMatch: 'overlap' as const })),
        ['v1', 'v2', 'v3', 'v4'].map((id, i) => ev(id, 'v', i)),
      ),
    ).toEqual(['t v1,v2,v3@2', 't v2,v3,v4@3']);
  });
  it('distinctBy counts distinct values, keeping the latest event per value', () => {
    const t = count({ distinctBy: 'properties.sku' });
    expect(
      run(
        [t],
        [
          ev('v1', 'v', 0, { sku: 'a' }),
          ev('v2', 'v', 1, { sku: 'a' }),
          ev('v3', 'v', 2, { sku: 'b' }),
          ev('v4', 'v', 3, { sku: 'c' }),
        ],
      ),
    ).toEqual(['t v2,v3,v4@3']);
  });
});

describe('engine: all and any', () => {
  const all = trig({
    pattern: {
      kind: 'all',
      within: 100,
      of: [
        { kind: 'event', name: 'p', as: 'pricing' },
        { kind: 'event', name: 'd', as: 'demo' },
      ],
    },
  });
  it('all: any order within the window', () => {
    expect(run([all], [ev('d1', 'd', 0), ev('p1', 'p', 50)])).toEqual(['t d1,p1@50']);
    expect(run([all], [ev('d1', 'd', 0), ev('p1', 'p', 100)])).toEqual([]);
  });
  it('all: one event never satisfies two children', () => {
    const same = trig({
      pattern: {
        kind: 'all',
        within: 100,
        of: [
          { kind: 'event', name: 'p' },
          { kind: 'event', name: 'p' },
        ],
      },
    });
    expect(run([same], [ev('p1', 'p', 0), ev('p2', 'p', 1)])).toEqual(['t p1,p2@1']);
    expect(run([same], [ev('p1', 'p', 0)])).toEqual([]);
  });
  it('any: the first satisfied child wins', () => {
    const any = trig({
      pattern: {
        kind: 'any',
        of: [
          { kind: 'event', name: 'a', as: 'x' },
          { kind: 'count', event: { kind: 'event', name: 'b' }, atLeast: 2, within: 100, as: 'y' },
        ],
      },
    });
    const engine = createEngine([any]);
    expect(engine.ingest(ev('b1', 'b', 0))).toEqual([]);
    const [m] = engine.ingest(ev('b2', 'b', 1));
    expect(m).toMatchObject({ bindings: { x: [], y: ['b1', 'b2'] } });
    expect(engine.ingest(ev('a1', 'a', 2))[0]).toMatchObject({ bindings: { x: ['a1'], y: [] } });
  });
});

describe('engine: correlation, start policies, after-match', () => {
  const seq = (extra: Record<string, unknown>) =>
    trig({
      ...extra,
      pattern: {
        kind: 'seq',
        steps: [
          { kind: 'step', node: { kind: 'event', name: 'a' } },
          { kind: 'step', node: { kind: 'event', name: 'b' } },
        ],
      },
    });
  it('correlate.by keeps one independent instance per key', () => {
    const t = seq({ correlate: { by: ['properties.k'] }, limits: { maxKeys: 8 } });
    expect(
      run(
        [t],
        [
          ev('a1', 'a', 1, { k: 'x' }),
          ev('a2', 'a', 2, { k: 'y' }),
          ev('b1', 'b', 3, { k: 'y' }),
          ev('b2', 'b', 4, { k: 'x' }),
          ev('b3', 'b', 5),
        ],
      ),
    ).toEqual(['t[y] a2,b1@3', 't[x] a1,b2@4']);
  });
  it('startPolicy earliest ignores start events while one is open', () => {
    expect(
      run(
        [seq({ startPolicy: 'earliest', afterMatch: 'overlap' })],
        [ev('a1', 'a', 1), ev('a2', 'a', 2), ev('b1', 'b', 3)],
      ),
    ).toEqual(['t a1,b1@3']);
  });
  it('startPolicy latest replaces the open one', () => {
    expect(
      run(
        [seq({ startPolicy: 'latest', afterMatch: 'overlap' })],
        [ev('a1', 'a', 1), ev('a2', 'a', 2), ev('b1', 'b', 3)],
      ),
    ).toEqual(['t a2,b1@3']);
  });
  it('consume removes the bound events from other partials, pairing oldest first', () => {
    const t = trig({
      afterMatch: 'consume',
      pattern: {
        kind: 'seq',
        steps: [
          { kind: 'step', node: { kind: 'event', name: 'a' } },
          { kind: 'step', node: { kind: 'event', name: 'b' } },
        ],
      },
    });
    expect(run([t], [ev('a1', 'a', 1), ev('a2', 'a', 2), ev('b1', 'b', 3), ev('b2', 'b', 4)])).toEqual([
      't a1,b1@3',
      't a2,b2@4',
    ]);
  });
  it('pastLast discards partials that started at or before the last bound event', () => {
    expect(run([seq({})], [ev('a1', 'a', 1), ev('a2', 'a', 2), ev('b1', 'b', 3), ev('b2', 'b', 4)])).toEqual([
      't a1,b1@3',
    ]);
  });
  it('maxPartialsPerKey evicts the oldest partial and counts it', () => {
    const t = seq({ afterMatch: 'overlap', limits: { maxPartialsPerKey: 2 } });
    const engine = createEngine([t]);
    for (const e of [ev('a1', 'a', 1), ev('a2', 'a', 2), ev('a3', 'a', 3)]) engine.ingest(e);
    expect(
      engine.ingest(ev('b1', 'b', 4)).map((o) => (o.type === 'match' ? o.eventIds.join(',') : o.type)),
    ).toEqual(['a2,b1', 'a3,b1']);
    expect(engine.stats().evictions.partials).toBe(1);
  });
  it('maxKeys evicts the least recently touched key', () => {
    const t = seq({ correlate: { by: ['properties.k'] }, limits: { maxKeys: 2 } });
    const engine = createEngine([t]);
    for (const e of [
      ev('a1', 'a', 1, { k: 'x' }),
      ev('a2', 'a', 2, { k: 'y' }),
      ev('a3', 'a', 3, { k: 'z' }),
    ])
      engine.ingest(e);
    expect(engine.stats().evictions.keys).toBe(1);
    expect(engine.partials().map((p) => p.key)).toEqual(['y', 'z']);
  });
});

describe('engine: arbitration and re-entry', () => {
  const atom = (id: string, extra: Record<string, unknown> = {}) =>
    trig({ id, pattern: { kind: 'event', name: 'a' }, ...extra });
  it('sorts by priority desc then id and suppresses group losers', () => {
    const out = run(
      [atom('low', { group: 'g', priority: 1 }), atom('high', { group: 'g', priority: 5 }), atom('free')],
      [ev('e1', 'a', 1)],
    );
    expect(out).toEqual(['high e1@1', 'low e1@1 suppressed:group', 'free e1@1']);
  });
  it('dropLower suppresses every lower-priority candidate of the step', () => {
    const out = run(
      [
        atom('boss', { priority: 9, dropLower: true }),
        atom('peer', { priority: 9 }),
        atom('minion', { priority: 1 }),
      ],
      [ev('e1', 'a', 1)],
    );
    expect(out).toEqual(['boss e1@1', 'peer e1@1', 'minion e1@1 suppressed:dropLower']);
  });
  it('reentry once never fires again; suppression is recorded', () => {
    expect(run([atom('t', { reentry: { mode: 'once' } })], [ev('e1', 'a', 1), ev('e2', 'a', 2)])).toEqual([
      't e1@1',
      't e2@2 suppressed:reentry',
    ]);
  });
  it('reentry cooldown suppresses within [lastFired, lastFired + cooldown)', () => {
    expect(
      run(
        [atom('t', { reentry: { mode: 'cooldown', cooldown: 10 } })],
        [ev('e1', 'a', 0), ev('e2', 'a', 9), ev('e3', 'a', 10)],
      ),
    ).toEqual(['t e1@0', 't e2@9 suppressed:reentry', 't e3@10']);
  });
  it('reentry scope key tracks each key separately', () => {
    const t = atom('t', {
      reentry: { mode: 'once', scope: 'key' },
      correlate: { by: ['properties.k'] },
      limits: { maxKeys: 8 },
    });
    expect(
      run([t], [ev('e1', 'a', 0, { k: 'x' }), ev('e2', 'a', 1, { k: 'y' }), ev('e3', 'a', 2, { k: 'x' })]),
    ).toEqual(['t[x] e1@0', 't[y] e2@1', 't[x] e3@2 suppressed:reentry']);
  });
  it('ranked mode holds candidates for rankWindow and picks the best per group', () => {
    const out = run(
      [
        atom('low', { group: 'g', priority: 1 }),
        trig({ id: 'high', group: 'g', priority: 5, pattern: { kind: 'event', name: 'b' } }),
      ],
      [ev('e1', 'a', 0), ev('e2', 'b', 5)],
      {
        arbitration: { mode: 'ranked', rankWindow: 10 },
      },
      20,
    );
    expect(out).toEqual(['high e2@5', 'low e1@0 suppressed:group']);
  });
});

describe('engine: dedupe, time bases, lateness', () => {
  const a = trig({ pattern: { kind: 'event', name: 'a' } });
  it('drops duplicates before anything else', () => {
    expect(run([a], [ev('e1', 'a', 1), ev('e1', 'a', 2)])).toEqual(['t e1@1', 'dup:e1']);
  });
  it('arrival basis clamps time to be monotone', () => {
    const engine = createEngine([a]);
    engine.ingest(ev('e1', 'a', 100));
    const [m] = engine.ingest(ev('e2', 'a', 50));
    expect(m).toMatchObject({ matchedAt: 100 });
  });
  it('event basis reorders within allowed lateness and reports late events', () => {
    const t = trig({
      pattern: {
        kind: 'seq',
        steps: [
          { kind: 'step', node: { kind: 'event', name: 'a' } },
          { kind: 'step', node: { kind: 'event', name: 'b' } },
        ],
      },
    });
    const cfg = { time: { basis: 'event' as const, allowedLateness: 10 } };
    // b (ts 5) arrives before a (ts 3) but within lateness: matched in event-time order.
    expect(
      run([t], [ev('b1', 'b', 5, {}, 6), ev('a1', 'a', 3, {}, 7), ev('b2', 'b', 8, {}, 9)], cfg, 30),
    ).toEqual(['t a1,b1@5']);
    // a arrives 20 ms after later events: late.
    expect(run([t], [ev('b1', 'b', 30, {}, 30), ev('a1', 'a', 3, {}, 31)], cfg, 60)).toEqual(['late:a1']);
  });
  it('events with equal time go in arrival (seq) order', () => {
    const t = trig({
      pattern: {
        kind: 'seq',
        steps: [
          { kind: 'step', node: { kind: 'event', name: 'a' } },
          { kind: 'step', node: { kind: 'event', name: 'b' } },
        ],
      },
    });
    const cfg = { time: { basis: 'event' as const, allowedLateness: 10 } };
    expect(run([t], [ev('b1', 'b', 5, {}, 6), ev('a1', 'a', 5, {}, 7)], cfg, 50)).toEqual([]);
    expect(run([t], [ev('a1', 'a', 5, {}, 6), ev('b1', 'b', 5, {}, 7)], cfg, 50)).toEqual(['t a1,b1@5']);
  });

  it('the watermark moves with the event’s own arrival first: too old on arrival is late', () => {
    const a = trig({ pattern: { kind: 'event', name: 'a' } });
    const engine = createEngine([a], { time: { basis: 'event', allowedLateness: 10 } });
    expect(engine.ingest(ev('old', 'a', 100, {}, 111))).toEqual([
      { type: 'late', eventId: 'old', time: 100 },
    ]);
    expect(engine.ingest(ev('ok', 'a', 105, {}, 112))).toEqual([]);
    expect(engine.nextWakeup()).toBe(115);
    expect(engine.advanceTo(115)).toMatchObject([{ eventIds: ['ok'], matchedAt: 105 }]);
  });

  it('under the event basis a deadline fires once the watermark reaches it (wakeup = deadline + lateness)', () => {
    const t = trig({
      pattern: {
        kind: 'seq',
        steps: [
          { kind: 'step', node: { kind: 'event', name: 'a' } },
          { kind: 'absent', event: { kind: 'event', name: 'x' }, for: 100 },
        ],
      },
    });
    const engine = createEngine([t], { time: { basis: 'event', allowedLateness: 20 } });
    engine.ingest(ev('a1', 'a', 0, {}, 0));
    expect(engine.nextWakeup()).toBe(20);
    expect(engine.advanceTo(20)).toEqual([]);
    expect(engine.nextWakeup()).toBe(120);
    // x at event time 99 arrives within lateness before the deadline is released: no match.
    expect(engine.ingest(ev('x1', 'x', 99, {}, 115))).toEqual([]);
    expect(engine.advanceTo(500)).toEqual([]);
  });

  it('with allowedLateness 0 an event whose ts equals its receipt is never late', () => {
    expect(run([a], [ev('e1', 'a', 1), ev('e2', 'a', 2)], { time: { basis: 'event' } })).toEqual([
      't e1@1',
      't e2@2',
    ]);
  });
  it('event time is capped at receivedAt + maxFutureSkew', () => {
    const engine = createEngine([a], { time: { basis: 'event', maxFutureSkew: 10 } });
    expect(engine.ingest(ev('e1', 'a', 1_000_000, {}, 0))).toEqual([]);
    expect(engine.nextWakeup()).toBe(10);
    expect(engine.advanceTo(10)).toMatchObject([{ matchedAt: 10 }]);
  });
  it('matchId is stable and depends on trigger, key, bound ids and deadline', () => {
    const id1 = createEngine([a]).ingest(ev('e1', 'a', 1))[0];
    const id2 = createEngine([a]).ingest(ev('e1', 'a', 999))[0];
    const id3 = createEngine([a]).ingest(ev('e2', 'a', 1))[0];
    expect(id1 && id1.type === 'match' && id1.matchId).toBe(id2 && id2.type === 'match' && id2.matchId);
    expect(id1 && id1.type === 'match' && id1.matchId).not.toBe(id3 && id3.type === 'match' && id3.matchId);
  });
});

void MIN;
