import { createEngine } from './engine';
import type { EngineConfig } from './engine-config.schema';
import type { EngineState } from './engine.types';
import { ev, run, trig } from './engine.fixtures';
import { TriggerError } from './errors';

const cart = trig({
  id: 'cart',
  pattern: {
    kind: 'seq',
    steps: [
      { kind: 'step', node: { kind: 'event', name: 'cart.updated', as: 'cart' } },
      { kind: 'absent', event: { kind: 'event', name: 'order.completed' }, for: 100 },
    ],
  },
});

describe('engine: snapshot and restore', () => {
  it('continues a partial match after restore exactly as without stopping', () => {
    const a = createEngine([cart]);
    a.ingest(ev('c1', 'cart.updated', 0));
    const saved = JSON.parse(JSON.stringify(a.snapshot())) as EngineState;
    const b = createEngine([cart], undefined, saved);
    expect(b.nextWakeup()).toBe(100);
    expect(b.advanceTo(100)).toEqual(a.advanceTo(100));
    expect(b.snapshot()).toEqual(a.snapshot());
  });

  it('drops the state of a trigger whose version changed and counts it', () => {
    const a = createEngine([cart]);
    a.ingest(ev('c1', 'cart.updated', 0));
    const b = createEngine([{ ...cart, version: 2 }], undefined, a.snapshot());
    expect(b.partials()).toEqual([]);
    expect(b.stats().restoreDropped).toBe(1);
    expect(b.nextWakeup()).toBeNull();
  });

  it('keeps dedupe across restore', () => {
    const a = createEngine([cart]);
    a.ingest(ev('c1', 'cart.updated', 0));
    expect(createEngine([cart], undefined, a.snapshot()).ingest(ev('c1', 'cart.updated', 5))).toEqual([
      { type: 'duplicate', eventId: 'c1' },
    ]);
  });

  it('rejects something that is not a snapshot with INVALID_STATE', () => {
    expect(() => createEngine([cart], undefined, { format: 2 } as unknown as EngineState)).toThrow(
      expect.objectContaining({ code: 'INVALID_STATE' }),
    );
  });

  it('snapshots are plain JSON with sorted keys', () => {
    const t = trig({
      id: 'k',
      correlate: { by: ['properties.k'] },
      limits: { maxKeys: 4 },
      pattern: cart.pattern,
    });
    const e = createEngine([t]);
    e.ingest(ev('e1', 'cart.updated', 0, { k: 'z' }));
    e.ingest(ev('e2', 'cart.updated', 1, { k: 'a' }));
    const s = e.snapshot();
    expect(Object.keys(s.triggers.k?.k ?? {})).toEqual(['a', 'z']);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});

describe('engine: limits and counters', () => {
  it('rejects a set over the state budget at creation with STATE_BUDGET_EXCEEDED', () => {
    const big = trig({
      id: 'big',
      correlate: { by: ['properties.k'] },
      pattern: cart.pattern,
      limits: { maxKeys: 1000 },
    });
    expect(() => createEngine([big])).toThrow(TriggerError);
    expect(() => createEngine([big])).toThrow(/lower limits.maxKeys/);
  });

  it('accepts a Partial<EngineConfig>', () => {
    const config: Partial<EngineConfig> = {
      time: { basis: 'event', allowedLateness: '1m', maxFutureSkew: '5m' },
    };
    expect(createEngine([cart], config).config).toMatchObject({ basis: 'event', allowedLateness: 60000 });
  });

  it('evicts the oldest dedupe ids beyond capacity and forgets ids past the horizon', () => {
    const a = trig({ pattern: { kind: 'event', name: 'a' } });
    const e = createEngine([a], { dedupe: { capacity: 2, horizon: 1000 } });
    e.ingest(ev('x1', 'a', 0));
    e.ingest(ev('x2', 'a', 1));
    e.ingest(ev('x3', 'a', 2));
    expect(e.stats().evictions.dedupe).toBe(1);
    expect(e.ingest(ev('x1', 'a', 3))[0]).toMatchObject({ type: 'match' });
    expect(e.ingest(ev('x3', 'a', 4))[0]).toEqual({ type: 'duplicate', eventId: 'x3' });
    expect(e.ingest(ev('x3', 'a', 2000))[0]).toMatchObject({ type: 'match' });
  });

  it('forces the oldest buffered event out when the buffer is full, and counts it', () => {
    const a = trig({ pattern: { kind: 'event', name: 'a' } });
    const e = createEngine([a], {
      time: { basis: 'event', allowedLateness: 1000 },
      buffer: { maxEvents: 2 },
    });
    expect(e.ingest(ev('x1', 'a', 10))).toEqual([]);
    expect(e.ingest(ev('x2', 'a', 20))).toEqual([]);
    expect(e.ingest(ev('x3', 'a', 30))).toMatchObject([{ eventIds: ['x1'] }]);
    expect(e.stats().evictions.buffer).toBe(1);
    expect(e.ingest(ev('x0', 'a', 5, {}, 31))).toEqual([{ type: 'late', eventId: 'x0', time: 5 }]);
  });

  it('rejects malformed events without throwing', () => {
    const a = trig({ pattern: { kind: 'event', name: 'a' } });
    const e = createEngine([a]);
    expect(e.ingest({ id: 'has space', name: 'a', ts: 1, receivedAt: 1, properties: {} })).toMatchObject([
      { type: 'rejected', eventId: 'has space' },
    ]);
    expect(e.ingest({ id: 'ok', name: 'a', ts: 1.5, receivedAt: 1, properties: {} })).toMatchObject([
      { type: 'rejected' },
    ]);
    expect(e.stats()).toMatchObject({ rejected: 2, events: 0 });
  });

  it('lists partial matches with their expiry (seq.within) for the journey query', () => {
    const t = trig({
      pattern: {
        kind: 'seq',
        within: 50,
        steps: [
          { kind: 'step', node: { kind: 'event', name: 'a' } },
          { kind: 'step', node: { kind: 'event', name: 'b' } },
        ],
      },
    });
    const e = createEngine([t]);
    e.ingest(ev('a1', 'a', 10));
    expect(e.partials()).toEqual([{ triggerId: 't', key: '', startedAt: 10, deadline: 60 }]);
  });
});

describe('engine: more semantics', () => {
  it('arbitrates absences of several triggers at one instant as one step', () => {
    const mk = (id: string, priority: number) => trig({ id, priority, group: 'g', pattern: cart.pattern });
    expect(run([mk('one', 1), mk('two', 2)], [ev('c1', 'cart.updated', 0)], undefined, 500)).toEqual([
      'two c1 absence@100',
      'one c1 absence@100 suppressed:group',
    ]);
  });

  it('strict contiguity on a count step tolerates qualifying events and breaks on others', () => {
    const t = trig({
      pattern: {
        kind: 'seq',
        steps: [
          { kind: 'step', node: { kind: 'event', name: 'a' } },
          {
            kind: 'step',
            node: { kind: 'count', event: { kind: 'event', name: 'b' }, atLeast: 2, within: 100 },
            contiguity: 'strict',
          },
        ],
      },
    });
    expect(run([t], [ev('a1', 'a', 1), ev('b1', 'b', 2), ev('b2', 'b', 3)])).toEqual(['t a1,b1,b2@3']);
    expect(
      run([t], [ev('a1', 'a', 1), ev('b1', 'b', 2), ev('a2', 'a', 3), ev('b2', 'b', 4), ev('b3', 'b', 5)]),
    ).toEqual(['t a2,b2,b3@5']);
  });

  it('a seq step may be an all (any order) bound after the previous step', () => {
    const t = trig({
      pattern: {
        kind: 'seq',
        steps: [
          { kind: 'step', node: { kind: 'event', name: 'signup', as: 's' } },
          {
            kind: 'step',
            node: {
              kind: 'all',
              within: 100,
              as: 'both',
              of: [
                { kind: 'event', name: 'x' },
                { kind: 'event', name: 'y' },
              ],
            },
          },
        ],
      },
    });
    const e = createEngine([t]);
    for (const x of [ev('y0', 'y', 0), ev('s1', 'signup', 1), ev('x1', 'x', 2)])
      expect(e.ingest(x)).toEqual([]);
    expect(e.ingest(ev('y1', 'y', 3))).toMatchObject([
      { bindings: { s: ['s1'], both: ['x1', 'y1'] }, eventIds: ['s1', 'x1', 'y1'] },
    ]);
  });

  it('inactivity per key starts at each key’s first qualifying event and re-arms on activity', () => {
    const t = trig({
      correlate: { by: ['properties.k'] },
      limits: { maxKeys: 4 },
      pattern: { kind: 'inactivity', event: { kind: 'event', name: 'seen', as: 'last' }, for: 10 },
    });
    expect(
      run(
        [t],
        [ev('s1', 'seen', 0, { k: 'a' }), ev('s2', 'seen', 5, { k: 'b' }), ev('s3', 'seen', 9, { k: 'a' })],
        undefined,
        100,
      ),
    ).toEqual(['t[b] s2 absence@15', 't[a] s3 absence@19']);
  });
});
