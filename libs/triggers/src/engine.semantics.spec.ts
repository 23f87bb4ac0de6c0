// One table per decision of docs/triggers.md taken in issue 17 (points 1 and 3-11).
import { createEngine } from './engine';
import type { EngineConfigInput } from './engine-config.schema';
import type { MatchEvent } from './engine.types';
import { ev, render, trig } from './engine.fixtures';
import { replayCustomer } from './replay';
import type { Trigger } from './trigger.schema';

type Row = [string, Trigger[], MatchEvent[], EngineConfigInput | undefined, number | undefined, string[]];

/** Replays and renders each output with the clock it was emitted at (`... =>emittedAt`). */
function timed(
  triggers: Trigger[],
  events: MatchEvent[],
  config?: EngineConfigInput,
  until?: number,
): string[] {
  return replayCustomer(createEngine(triggers, config), events, until).map(
    (e) => `${render(e.output)} =>${e.emittedAt}`,
  );
}

const atom = (id: string, name: string, extra: Record<string, unknown> = {}) =>
  trig({ id, pattern: { kind: 'event', name }, ...extra });
const ranked = (rankWindow: number): EngineConfigInput => ({ arbitration: { mode: 'ranked', rankWindow } });
const cool = (extra: Record<string, unknown> = {}) => ({
  reentry: { mode: 'cooldown', cooldown: 30, ...extra },
});

describe('§3.10 fix 1: a cooldown runs from the previous winner’s emittedAt', () => {
  it.each<Row>([
    [
      'immediate, arrival basis: emittedAt = matchedAt',
      [atom('t', 'a', cool())],
      [ev('a1', 'a', 0), ev('a2', 'a', 29), ev('a3', 'a', 30)],
      undefined,
      undefined,
      ['t a1@0 =>0', 't a2@29 suppressed:reentry =>29', 't a3@30 =>30'],
    ],
    [
      'ranked: held winner emitted at 10 (close); next one matched at 31 but emitted at 38 < 40',
      [atom('t', 'a', cool()), atom('u', 'b')],
      [ev('a1', 'a', 0), ev('b1', 'b', 28), ev('a2', 'a', 31)],
      ranked(10),
      60,
      ['t a1@0 =>10', 't a2@31 suppressed:reentry =>38', 'u b1@28 =>38'],
    ],
    [
      'ranked: emitted at 40 = 10 + 30 fires',
      [atom('t', 'a', cool())],
      [ev('a1', 'a', 0), ev('a2', 'a', 30)],
      ranked(10),
      60,
      ['t a1@0 =>10', 't a2@30 =>40'],
    ],
    [
      'event basis: a buffered release is emitted at the watermark, not at ts',
      [atom('t', 'a', cool())],
      [ev('a1', 'a', 0, {}, 0), ev('a2', 'a', 35, {}, 35)],
      { time: { basis: 'event', allowedLateness: 10 } },
      100,
      ['t a1@0 =>10', 't a2@35 =>45'],
    ],
  ])('%s', (_name, triggers, events, config, until, expected) => {
    expect(timed(triggers, events, config, until)).toEqual(expected);
  });
});

const plain = (triggers: Trigger[], events: MatchEvent[], config?: EngineConfigInput, until?: number) =>
  replayCustomer(createEngine(triggers, config), events, until).map((e) => render(e.output));
const table = (rows: Row[]) =>
  it.each<Row>(rows)('%s', (_name, triggers, events, config, until, expected) => {
    expect(plain(triggers, events, config, until)).toEqual(expected);
  });

describe('§3.5 point 3: count with distinctBy', () => {
  const distinct = trig({
    pattern: {
      kind: 'count',
      atLeast: 2,
      within: 100,
      distinctBy: 'properties.sku',
      event: { kind: 'event', name: 'v' },
    },
  });
  const v = (id: string, t: number, sku?: unknown) => ev(id, 'v', t, sku === undefined ? {} : { sku });
  table([
    [
      'one value twice is one value',
      [distinct],
      [v('v1', 1, 'A'), v('v2', 2, 'A')],
      undefined,
      undefined,
      [],
    ],
    [
      'the newer event replaces the older',
      [distinct],
      [v('v1', 1, 'A'), v('v2', 2, 'A'), v('v3', 3, 'B')],
      undefined,
      undefined,
      ['t v2,v3@3'],
    ],
    [
      '1 and "1" are different values',
      [distinct],
      [v('v1', 1, 1), v('v2', 2, '1')],
      undefined,
      undefined,
      ['t v1,v2@2'],
    ],
    [
      'missing, null, objects and arrays do not count',
      [distinct],
      [v('v1', 1), v('v2', 2, null), v('v3', 3, { a: 1 }), v('v4', 4, ['x']), v('v5', 5, 'A')],
      undefined,
      undefined,
      [],
    ],
    [
      'a replaced event never binds later',
      [distinct],
      [v('v1', 1, 'A'), v('v2', 2, 'A'), v('v3', 150, 'B')],
      undefined,
      undefined,
      [],
    ],
  ]);
});

describe('§3.7 point 4: inactivity', () => {
  const idle = (extra: Record<string, unknown> = {}) =>
    trig({ pattern: { kind: 'inactivity', event: { kind: 'event', name: 'a', ...extra }, for: 10 } });
  const byKey = trig({
    pattern: { kind: 'inactivity', event: { kind: 'event', name: 'a' }, for: 10 },
    correlate: { by: ['properties.k'] },
    limits: { maxKeys: 4 },
  });
  table([
    [
      'activation: the first event of any name starts the clock; binds nothing',
      [idle()],
      [ev('x1', 'x', 5)],
      undefined,
      30,
      ['t  absence@15'],
    ],
    [
      'binds the last qualifying event; matchedAt is the deadline',
      [idle()],
      [ev('x1', 'x', 0), ev('a1', 'a', 4), ev('a2', 'a', 8)],
      undefined,
      30,
      ['t a2 absence@18'],
    ],
    ['once per silent period', [idle()], [ev('a1', 'a', 0)], undefined, 40, ['t a1 absence@10']],
    [
      'correlated: no activation, the first qualifying event starts the key',
      [byKey],
      [ev('x1', 'x', 0), ev('a1', 'a', 5, { k: 'c' })],
      undefined,
      30,
      ['t[c] a1 absence@15'],
    ],
  ]);
  it('without any event, the first advanceTo activates the clock', () => {
    const engine = createEngine([idle()]);
    expect(engine.advanceTo(5)).toEqual([]);
    expect(engine.advanceTo(15).map(render)).toEqual(['t  absence@15']);
  });
});

describe('§3.9 point 5: ranked arbitration', () => {
  const g = (id: string, name: string, priority: number) => atom(id, name, { group: 'g', priority });
  it.each<Row>([
    [
      'one window for all triggers, opened by the first candidate, emitted at its close in sorted order',
      [g('low', 'a', 1), g('high', 'b', 5), atom('free', 'c')],
      [ev('a1', 'a', 0), ev('c1', 'c', 3), ev('b1', 'b', 9)],
      ranked(10),
      30,
      ['high b1@9 =>10', 'low a1@0 suppressed:group =>10', 'free c1@3 =>10'],
    ],
    [
      'a candidate exactly at the close belongs to the next window',
      [g('low', 'a', 1), g('high', 'b', 5)],
      [ev('a1', 'a', 0), ev('b1', 'b', 10)],
      ranked(10),
      30,
      ['low a1@0 =>10', 'high b1@10 =>20'],
    ],
    [
      'the next window opens at the next candidate, not at the close',
      [atom('t', 'a')],
      [ev('a1', 'a', 0), ev('a2', 'a', 15)],
      ranked(10),
      30,
      ['t a1@0 =>10', 't a2@15 =>25'],
    ],
  ])('%s', (_name, triggers, events, config, until, expected) => {
    expect(timed(triggers, events, config, until)).toEqual(expected);
  });
});

describe('§3.10 point 6: re-entry with arbitration and keys', () => {
  const once = { reentry: { mode: 'once' } };
  const corr = (scope?: 'key') =>
    atom('t', 'a', {
      reentry: { mode: 'once', ...(scope ? { scope } : {}) },
      correlate: { by: ['properties.k'] },
      limits: { maxKeys: 4 },
    });
  table([
    [
      'a winner suppressed by re-entry keeps its group slot',
      [atom('hi', 'a', { group: 'g', priority: 5, ...once }), atom('lo', 'a', { group: 'g', priority: 1 })],
      [ev('a1', 'a', 0), ev('a2', 'a', 1)],
      undefined,
      undefined,
      ['hi a1@0', 'lo a1@0 suppressed:group', 'hi a2@1 suppressed:reentry', 'lo a2@1 suppressed:group'],
    ],
    [
      '… and its dropLower',
      [atom('hi', 'a', { priority: 5, dropLower: true, ...once }), atom('lo', 'a', { priority: 1 })],
      [ev('a1', 'a', 0), ev('a2', 'a', 1)],
      undefined,
      undefined,
      [
        'hi a1@0',
        'lo a1@0 suppressed:dropLower',
        'hi a2@1 suppressed:reentry',
        'lo a2@1 suppressed:dropLower',
      ],
    ],
    [
      'dropLower drops strictly lower priorities only',
      [atom('hi', 'a', { priority: 5, dropLower: true }), atom('peer', 'a', { priority: 5 })],
      [ev('a1', 'a', 0)],
      undefined,
      undefined,
      ['hi a1@0', 'peer a1@0'],
    ],
    [
      'default scope "trigger": one state shared by every key',
      [corr()],
      [ev('a1', 'a', 0, { k: 'x' }), ev('a2', 'a', 1, { k: 'y' })],
      undefined,
      undefined,
      ['t[x] a1@0', 't[y] a2@1 suppressed:reentry'],
    ],
    [
      'scope "key": each key its own state',
      [corr('key')],
      [ev('a1', 'a', 0, { k: 'x' }), ev('a2', 'a', 1, { k: 'y' }), ev('a3', 'a', 2, { k: 'x' })],
      undefined,
      undefined,
      ['t[x] a1@0', 't[y] a2@1', 't[x] a3@2 suppressed:reentry'],
    ],
  ]);
});

describe('§3.2 point 7: dedupe horizon and capacity', () => {
  const t = atom('t', 'a');
  const dd = (horizon: number, capacity = 2000): EngineConfigInput => ({ dedupe: { horizon, capacity } });
  table([
    [
      'seen again before the horizon: duplicate',
      [t],
      [ev('a1', 'a', 0), ev('a1', 'a', 9)],
      dd(10),
      undefined,
      ['t a1@0', 'dup:a1'],
    ],
    [
      'half-open: seen again at the horizon, matched again',
      [t],
      [ev('a1', 'a', 0), ev('a1', 'a', 10)],
      dd(10),
      undefined,
      ['t a1@0', 't a1@10'],
    ],
    [
      'evicted by capacity before the horizon: new',
      [t],
      [ev('a1', 'a', 0), ev('a2', 'a', 1), ev('a1', 'a', 2)],
      dd(100, 1),
      undefined,
      ['t a1@0', 't a2@1', 't a1@2'],
    ],
  ]);
  it('a re-matched id yields the same matchId, and capacity evictions are counted', () => {
    const engine = createEngine([t], dd(10, 1));
    const first = engine.ingest(ev('a1', 'a', 0));
    engine.ingest(ev('a2', 'a', 1));
    const again = engine.ingest(ev('a1', 'a', 2));
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ type: 'match', matchId: (first[0] as { matchId: string }).matchId });
    expect(engine.stats().evictions.dedupe).toBe(2);
  });
});

describe('§3.4 point 8: correlation keys', () => {
  const pair = trig({
    pattern: {
      kind: 'seq',
      steps: [
        { kind: 'step', node: { kind: 'event', name: 'a' } },
        { kind: 'step', node: { kind: 'event', name: 'b' } },
      ],
    },
    correlate: { by: ['properties.k'] },
    limits: { maxKeys: 4 },
  });
  table([
    [
      'key equality is typed: 1 and "1" differ',
      [pair],
      [ev('a1', 'a', 0, { k: 1 }), ev('b1', 'b', 1, { k: '1' }), ev('b2', 'b', 2, { k: 1 })],
      undefined,
      undefined,
      ['t[[1]] a1,b2@2'],
    ],
    [
      'a missing or null key is ignored',
      [pair],
      [
        ev('a1', 'a', 0, {}),
        ev('a2', 'a', 1, { k: null }),
        ev('b1', 'b', 2, {}),
        ev('b2', 'b', 3, { k: null }),
      ],
      undefined,
      undefined,
      [],
    ],
    [
      'an object key is ignored',
      [pair],
      [ev('a1', 'a', 0, { k: { x: 1 } }), ev('b1', 'b', 1, { k: { x: 1 } })],
      undefined,
      undefined,
      [],
    ],
  ]);
  it('counts every event a correlated trigger ignored for want of a key', () => {
    const engine = createEngine([pair]);
    engine.ingest(ev('a1', 'a', 0, {}));
    engine.ingest(ev('a2', 'a', 1, { k: null }));
    engine.ingest(ev('a3', 'a', 2, { k: 'x' }));
    expect(engine.stats().unkeyed).toBe(2);
  });
});

describe('§5 point 9: limits evict the least recently used key, each eviction an output', () => {
  const pair = (limits: Record<string, number>) =>
    trig({
      pattern: {
        kind: 'seq',
        steps: [
          { kind: 'step', node: { kind: 'event', name: 'a' } },
          { kind: 'step', node: { kind: 'event', name: 'b' } },
        ],
      },
      correlate: { by: ['properties.k'] },
      startPolicy: 'every',
      afterMatch: 'overlap',
      limits,
    });
  const a = (id: string, t: number, k: string) => ev(id, 'a', t, { k });
  table([
    [
      'the least recently touched key goes, not the oldest created',
      [pair({ maxKeys: 2 })],
      [a('a1', 0, 'x'), a('a2', 1, 'y'), a('a3', 2, 'x'), a('a4', 3, 'z'), ev('b1', 'b', 4, { k: 'y' })],
      undefined,
      undefined,
      ['evicted:t[y] key a2'],
    ],
    [
      'the oldest partial of a key goes',
      [pair({ maxKeys: 2, maxPartialsPerKey: 1 })],
      [a('a1', 0, 'x'), a('a2', 1, 'x'), ev('b1', 'b', 2, { k: 'x' })],
      undefined,
      undefined,
      ['evicted:t[x] partial a1', 't[x] a2,b1@2'],
    ],
  ]);
});

describe('§3.1 point 10: event basis with allowedLateness 0', () => {
  const t = atom('t', 'a');
  const zero: EngineConfigInput = { time: { basis: 'event', allowedLateness: 0, maxFutureSkew: 100 } };
  table([
    ['ts = receivedAt: in order', [t], [ev('a1', 'a', 10, {}, 10)], zero, undefined, ['t a1@10']],
    ['ts before its own receivedAt: late', [t], [ev('a1', 'a', 9, {}, 10)], zero, undefined, ['late:a1']],
    [
      'ts equal to the largest receivedAt so far: in order',
      [t],
      [ev('a1', 'a', 10, {}, 10), ev('a2', 'a', 10, {}, 10)],
      zero,
      undefined,
      ['t a1@10', 't a2@10'],
    ],
    [
      'ts below an earlier receivedAt: late',
      [t],
      [ev('a1', 'a', 20, {}, 20), ev('a2', 'a', 15, {}, 15)],
      zero,
      undefined,
      ['t a1@20', 'late:a2'],
    ],
    [
      'ts ahead of receivedAt: held until the clock reaches it',
      [t],
      [ev('a1', 'a', 30, {}, 10)],
      zero,
      30,
      ['t a1@30'],
    ],
  ]);
});

describe('§3.6 / §3.5 point 11: ties', () => {
  const middle = trig({
    pattern: {
      kind: 'seq',
      steps: [
        { kind: 'step', node: { kind: 'event', name: 'a' } },
        { kind: 'absent', event: { kind: 'event', name: 'x' } },
        {
          kind: 'step',
          node: { kind: 'event', name: 'x', where: { path: 'properties.ok', op: 'eq', value: true } },
        },
      ],
    },
  });
  const anyOf = trig({
    pattern: {
      kind: 'any',
      of: [
        { kind: 'event', name: 'x', as: 'first' },
        { kind: 'event', name: 'x', where: { path: 'properties.ok', op: 'eq', value: true }, as: 'second' },
      ],
    },
  });
  it.each<[string, Trigger, MatchEvent[], string[]]>([
    [
      'middle absent and next step on one event: the absence wins',
      middle,
      [ev('a1', 'a', 0), ev('x1', 'x', 1, { ok: true })],
      [],
    ],
    [
      'any: one event satisfying two children binds the first listed',
      anyOf,
      [ev('x1', 'x', 0, { ok: true })],
      ['{"first":["x1"],"second":[]}'],
    ],
  ])('%s', (_name, t, events, expected) => {
    const out = replayCustomer(createEngine([t]), events).map((e) =>
      e.output.type === 'match' ? JSON.stringify(e.output.bindings) : render(e.output),
    );
    expect(out).toEqual(expected);
  });
});
