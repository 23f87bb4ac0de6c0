import fc from 'fast-check';
import { compileSet } from './compile';
import { createEngine, resolveEngineConfig, type Engine } from './engine';
import type { EngineConfigInput } from './engine-config.schema';
import type { EngineState, MatchEvent, Output } from './engine.types';
import { ev } from './engine.fixtures';
import { computeStateBound, STATE_BUDGET_BYTES } from './state-bound';
import { TriggerSchema, type Trigger } from './trigger.schema';

const atom = (name: string, extra: Record<string, unknown> = {}) => ({ kind: 'event', name, ...extra });
const step = (node: unknown, extra: Record<string, unknown> = {}) => ({ kind: 'step', node, ...extra });

/** A pool covering every pattern kind and policy; small windows so matches happen often. */
const POOL: Trigger[] = [
  {
    id: 'seq-abs',
    pattern: {
      kind: 'seq',
      steps: [step(atom('a', { as: 'x' })), { kind: 'absent', event: atom('c'), for: 40 }],
    },
    correlate: { by: ['properties.k'] },
    limits: { maxKeys: 4, maxPartialsPerKey: 3 },
  },
  {
    id: 'seq-mid',
    afterMatch: 'overlap',
    pattern: {
      kind: 'seq',
      within: 80,
      steps: [
        step(atom('a')),
        { kind: 'absent', event: atom('d') },
        step(atom('b'), { contiguity: 'strict' }),
      ],
    },
    limits: { maxPartialsPerKey: 2 },
  },
  {
    id: 'seq-ref',
    afterMatch: 'consume',
    startPolicy: 'every',
    pattern: {
      kind: 'seq',
      steps: [
        step(atom('a', { as: 'first' })),
        step(
          atom('b', {
            where: { path: 'properties.n', op: 'gtRef', ref: { as: 'first', path: 'properties.n' } },
          }),
          { maxGap: 50 },
        ),
      ],
    },
    limits: { maxPartialsPerKey: 2 },
  },
  {
    id: 'count',
    pattern: { kind: 'count', event: atom('b'), atLeast: 3, within: 60, distinctBy: 'properties.n' },
    reentry: { mode: 'cooldown', cooldown: 30 },
    group: 'g',
    priority: 2,
  },
  {
    id: 'all',
    pattern: {
      kind: 'all',
      within: 50,
      of: [atom('a'), atom('b'), { kind: 'count', event: atom('c'), atLeast: 2, within: 40 }],
    },
    group: 'g',
    priority: 1,
    dropLower: true,
  },
  {
    id: 'any',
    afterMatch: 'overlap',
    pattern: {
      kind: 'any',
      of: [
        atom('d', { where: { path: 'properties.n', op: 'gte', value: 3 } }),
        { kind: 'all', within: 30, of: [atom('a'), atom('c')] },
      ],
    },
    reentry: { mode: 'once', scope: 'key' },
    correlate: { by: ['properties.k'] },
    limits: { maxKeys: 3 },
  },
  {
    id: 'idle',
    pattern: { kind: 'inactivity', event: atom('a'), for: 70 },
    correlate: { by: ['properties.k'] },
    limits: { maxKeys: 3 },
  },
  { id: 'idle-all', pattern: { kind: 'inactivity', event: atom('b'), for: 90 } },
  {
    id: 'seq-cnt',
    startPolicy: 'latest',
    pattern: {
      kind: 'seq',
      steps: [
        step({ kind: 'count', event: atom('a'), atLeast: 2, within: 40 }),
        step(atom('d')),
        { kind: 'absent', event: atom('b'), for: 30 },
      ],
    },
  },
  {
    id: 'earliest',
    startPolicy: 'earliest',
    afterMatch: 'overlap',
    pattern: { kind: 'seq', steps: [step(atom('c')), step(atom('a'))] },
    priority: 3,
    dropLower: true,
  },
].map((t) => TriggerSchema.parse({ version: 1, ...t }));

const eventArb = fc.record({
  name: fc.constantFrom('a', 'b', 'c', 'd', 'z'),
  gap: fc.integer({ min: 0, max: 25 }),
  jitter: fc.integer({ min: -10, max: 10 }),
  k: fc.constantFrom('x', 'y', 'w', undefined),
  n: fc.integer({ min: 0, max: 5 }),
  dup: fc.nat(9),
  longId: fc.boolean(),
});

type EventSpec = {
  name: string;
  gap: number;
  jitter: number;
  k: string | undefined;
  n: number;
  dup: number;
  longId: boolean;
};

function buildStream(specs: EventSpec[], withJitter: boolean): MatchEvent[] {
  let t = 1000;
  return specs.map((s, i) => {
    t += s.gap;
    const id = s.dup === 0 && i > 0 ? `e${i - 1}` : s.longId ? `e${i}-${'x'.repeat(120)}` : `e${i}`;
    const properties: Record<string, unknown> = { n: s.n };
    if (s.k !== undefined) properties.k = s.k;
    return ev(id, s.name, withJitter ? t + s.jitter : t, properties, t);
  });
}

type Step = { kind: 'ingest'; e: MatchEvent } | { kind: 'advance'; to: number };

/** Drives an engine like the workflow; `swapAt` restores from a JSON snapshot before that action. */
function drive(
  make: (s?: EngineState) => Engine,
  events: MatchEvent[],
  until: number,
  swapAt = -1,
): { outs: Output[]; state: string } {
  let engine = make();
  const outs: Output[] = [];
  let action = 0;
  const act = (s: Step) => {
    if (action++ === swapAt) engine = make(JSON.parse(JSON.stringify(engine.snapshot())) as EngineState);
    outs.push(...(s.kind === 'ingest' ? engine.ingest(s.e) : engine.advanceTo(s.to)));
  };
  for (const e of events) {
    for (let w = engine.nextWakeup(); w !== null && w < e.receivedAt; w = engine.nextWakeup())
      act({ kind: 'advance', to: w });
    act({ kind: 'ingest', e });
  }
  for (let w = engine.nextWakeup(); w !== null && w <= until; w = engine.nextWakeup())
    act({ kind: 'advance', to: w });
  return { outs, state: JSON.stringify(engine.snapshot()) };
}

const configArb = fc.constantFrom<EngineConfigInput>(
  {},
  { time: { basis: 'event', allowedLateness: 15 } },
  {
    time: { basis: 'event', allowedLateness: 0, maxFutureSkew: 5 },
    buffer: { maxEvents: 5 },
    dedupe: { capacity: 10 },
  },
  { arbitration: { mode: 'ranked', rankWindow: 20 } },
);
const setArb = fc.subarray(POOL, { minLength: 1 });

describe('engine properties', () => {
  it('the example pool fits the state budget', () => {
    expect(
      computeStateBound(
        compileSet(POOL),
        resolveEngineConfig({ time: { basis: 'event' }, arbitration: { mode: 'ranked', rankWindow: 20 } }),
      ).total,
    ).toBeLessThanOrEqual(STATE_BUDGET_BYTES);
  });

  it('(a) snapshot/restore at any point gives the same outputs and state as an uninterrupted run', () => {
    fc.assert(
      fc.property(
        setArb,
        configArb,
        fc.array(eventArb, { maxLength: 60 }),
        fc.nat(200),
        fc.boolean(),
        (set, config, specs, cut, jitter) => {
          const events = buildStream(specs, jitter);
          const make = (s?: EngineState) => createEngine(set, config, s);
          const until = (events[events.length - 1]?.receivedAt ?? 0) + 200;
          const straight = drive(make, events, until);
          const swapped = drive(make, events, until, cut % (events.length * 2 + 1));
          expect(swapped.outs).toEqual(straight.outs);
          expect(swapped.state).toBe(straight.state);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('(b) under the event basis, permuting arrivals within the allowed lateness never changes the matches', () => {
    const L = 30;
    fc.assert(
      fc.property(
        setArb,
        fc.uniqueArray(fc.integer({ min: 0, max: 2000 }), { maxLength: 40 }),
        fc.array(
          fc.record({
            name: fc.constantFrom('a', 'b', 'c', 'd'),
            k: fc.constantFrom('x', 'y'),
            n: fc.nat(5),
            delay: fc.nat(L),
          }),
          { minLength: 40, maxLength: 40 },
        ),
        (set, times, specs) => {
          const sorted = [...times].sort((x, y) => x - y);
          const mk = (useDelay: boolean) =>
            sorted
              .map((ts, i) => {
                const s = specs[i] as (typeof specs)[number];
                return ev(
                  `e${i}`,
                  s.name,
                  10_000 + ts,
                  { k: s.k, n: s.n },
                  10_000 + ts + (useDelay ? s.delay : 0),
                );
              })
              .sort((x, y) => x.receivedAt - y.receivedAt || x.ts - y.ts);
          const cfg: EngineConfigInput = { time: { basis: 'event', allowedLateness: L } };
          const until = 10_000 + 2000 + 500;
          const matches = (events: MatchEvent[]) =>
            drive(() => createEngine(set, cfg), events, until).outs.map((o) =>
              o.type === 'match' ? `${o.triggerId}|${o.matchId}|${o.matchedAt}|${o.status}` : o.type,
            );
          const inOrder = matches(mk(false));
          const shuffled = matches(mk(true));
          expect(shuffled).toEqual(inOrder);
          expect(inOrder.some((x) => x === 'late')).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('(c) serialised state never exceeds the static bound nor the 192 KiB budget', () => {
    fc.assert(
      fc.property(setArb, configArb, fc.array(eventArb, { maxLength: 250 }), (set, config, specs) => {
        const events = buildStream(specs, true);
        const engine = createEngine(set, config);
        const bound = computeStateBound(compileSet(set), resolveEngineConfig(config)).total;
        let max = 0;
        for (const e of events) {
          for (let w = engine.nextWakeup(); w !== null && w < e.receivedAt; w = engine.nextWakeup())
            engine.advanceTo(w);
          engine.ingest(e);
          max = Math.max(max, Buffer.byteLength(JSON.stringify(engine.snapshot())));
        }
        expect(max).toBeLessThanOrEqual(bound);
        expect(bound).toBeLessThanOrEqual(STATE_BUDGET_BYTES);
      }),
      { numRuns: 100 },
    );
  });

  it('(c) stays within the bound on adversarial streams: 128-character ids, long keys, many keys', () => {
    const heavy = fc.record({
      name: fc.constantFrom('a', 'b', 'c', 'd'),
      gap: fc.integer({ min: 0, max: 12 }),
      key: fc.nat(40),
      n: fc.oneof(fc.nat(5), fc.double({ noNaN: true, noDefaultInfinity: true })),
    });
    fc.assert(
      fc.property(
        setArb,
        configArb,
        fc.array(heavy, { minLength: 50, maxLength: 400 }),
        (set, config, specs) => {
          const engine = createEngine(set, config);
          const bound = computeStateBound(compileSet(set), resolveEngineConfig(config)).total;
          let t = 1_700_000_000_000;
          let max = 0;
          specs.forEach((s, i) => {
            t += s.gap;
            const id = `${String(i).padStart(6, '0')}-${'i'.repeat(121)}`;
            const e = ev(id, s.name, t, { k: `${'k'.repeat(60)}${String(s.key).padStart(4, '0')}`, n: s.n });
            for (let w = engine.nextWakeup(); w !== null && w < e.receivedAt; w = engine.nextWakeup())
              engine.advanceTo(w);
            engine.ingest(e);
            max = Math.max(max, Buffer.byteLength(JSON.stringify(engine.snapshot())));
          });
          expect(max).toBeLessThanOrEqual(bound);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('(d) the same input always gives byte-identical state and outputs', () => {
    fc.assert(
      fc.property(setArb, configArb, fc.array(eventArb, { maxLength: 80 }), (set, config, specs) => {
        const events = buildStream(specs, true);
        const until = (events[events.length - 1]?.receivedAt ?? 0) + 100;
        const one = drive(() => createEngine(set, config), events, until);
        const two = drive(() => createEngine([...set].reverse(), config), events, until);
        expect(two.state).toBe(one.state);
        expect(JSON.stringify(two.outs)).toBe(JSON.stringify(one.outs));
      }),
      { numRuns: 150 },
    );
  });
});
