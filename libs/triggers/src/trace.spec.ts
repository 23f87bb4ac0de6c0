import { createEngine } from './engine';
import { ev, HOUR, MIN, trig } from './engine.fixtures';
import { replayCustomer } from './replay';
import { TraceRecorder, type TraceEntry } from './trace';
import type { MatchEvent } from './engine.types';
import type { Trigger } from './trigger.schema';

/** Abandoned cart: cart.updated, then no order.completed for 2h, per cart. */
const cart = trig({
  id: 'cart',
  pattern: {
    kind: 'seq',
    steps: [
      { kind: 'step', node: { kind: 'event', name: 'cart.updated', as: 'cart' } },
      { kind: 'absent', event: { kind: 'event', name: 'order.completed' }, for: '2h' },
    ],
  },
  correlate: { by: ['properties.cart_id'] },
});

function traced(
  triggers: Trigger[],
  events: MatchEvent[],
  until?: number,
): { entries: TraceEntry[]; out: string } {
  const recorder = new TraceRecorder(1000);
  const engine = createEngine(triggers, undefined, undefined, { observer: recorder });
  const out = JSON.stringify(replayCustomer(engine, events, until));
  return { entries: recorder.entries, out };
}

const brief = (e: TraceEntry) =>
  [
    e.kind,
    e.triggerId,
    e.partial,
    e.step,
    e.eventId,
    e.eventIds.join('+'),
    e.cause ?? '',
    e.rule,
    e.match?.status ?? '',
  ]
    .join(' ')
    .trim();

describe('trace observer (docs/triggers.md §4)', () => {
  it('explains an absence kept (completed) and one broken by the negative event', () => {
    const { entries } = traced(
      [cart],
      [
        ev('a1', 'cart.updated', 0, { cart_id: 'k1' }),
        ev('a2', 'cart.updated', MIN, { cart_id: 'k2' }),
        ev('o1', 'order.completed', 30 * MIN, { cart_id: 'k2' }),
      ],
      3 * HOUR,
    );
    expect(entries.map(brief)).toEqual([
      'opened cart 0 0 a1 a1  §3.8',
      'opened cart 1 0 a2 a2  §3.8',
      'killed cart 1 1 o1 a2 negative §3.6',
      'completed cart 0   a1  §3.6 fired',
    ]);
    expect(entries[3]?.at).toBe(2 * HOUR);
    expect(entries[3]?.eventId).toBeNull();
  });

  it('names a window, strict contiguity and re-entry', () => {
    const seq = (id: string, extra: Record<string, unknown>) =>
      trig({
        id,
        pattern: {
          kind: 'seq',
          within: '10m',
          steps: [
            { kind: 'step', node: { kind: 'event', name: 'a' } },
            { kind: 'step', node: { kind: 'event', name: 'b' }, ...extra },
          ],
        },
        reentry: { mode: 'once' },
      });
    const { entries } = traced(
      [seq('w', {}), seq('s', { contiguity: 'strict' })],
      [
        ev('a1', 'a', 0),
        ev('a2', 'a', 5 * MIN),
        ev('a3', 'a', 20 * MIN),
        ev('x', 'b', 21 * MIN),
        ev('a4', 'a', 30 * MIN),
        ev('b1', 'b', 31 * MIN),
      ],
    );
    const kills = entries
      .filter((e) => e.kind === 'killed')
      .map((e) => `${e.triggerId}:${e.cause}:${e.eventId}`);
    expect(kills.sort()).toEqual(['s:strict:a2', 's:window:a3', 'w:window:a3', 'w:window:a3']);
    const done = entries.filter((e) => e.kind === 'completed');
    expect(done.map((e) => `${e.triggerId}:${e.eventIds.join('+')}:${e.match?.status}`).sort()).toEqual([
      's:a3+x:fired',
      's:a4+b1:suppressed',
      'w:a3+x:fired',
      'w:a4+b1:suppressed',
    ]);
    expect(done.at(-1)?.match?.reason).toBe('reentry');
    expect(done.at(-1)?.rule).toBe('§3.10');
  });

  it('changes no output: the same matches with and without an observer', () => {
    const events = Array.from({ length: 200 }, (_, i) =>
      ev(`e${i}`, i % 3 === 0 ? 'order.completed' : 'cart.updated', i * 7 * MIN, { cart_id: `k${i % 5}` }),
    );
    const plain = JSON.stringify(replayCustomer(createEngine([cart]), events, 40 * HOUR));
    expect(traced([cart], events, 40 * HOUR).out).toBe(plain);
  });

  it('keeps the most recent entries in a ring', () => {
    const ring = new TraceRecorder(2, 'last');
    const engine = createEngine([cart], undefined, undefined, { observer: ring });
    replayCustomer(
      engine,
      [1, 2, 3].map((i) => ev(`a${i}`, 'cart.updated', i, { cart_id: `k${i}` })),
    );
    expect(ring.entries.map((e) => e.eventId)).toEqual(['a2', 'a3']);
    expect(ring.dropped).toBe(1);
  });
});
