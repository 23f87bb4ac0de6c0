// Score patterns in the matcher (docs/triggers.md §3.14): crossing, hysteresis, lte, inside seq and
// all, re-entry, snapshot/restore, validation and replay.
import { runReplay } from './cli-commands';
import { createEngine } from './engine';
import { ev, feed, HOUR, renderMatch, trig } from './engine.fixtures';
import type { MatchEvent, MatchOutput, Output } from './engine.types';
import { SCORE_EVENT } from './score.schema';
import { TriggerSchema, type Trigger } from './trigger.schema';
import { validateTrigger } from './validate';

/** A `kairos.score` event of `model` at `t` minutes. */
const score = (id: string, t: number, value: unknown, model = 'churn'): MatchEvent =>
  ev(id, SCORE_EVENT, t * 60_000, { model, value, version: 1 });
const fired = (out: Output[]): string[] =>
  out
    .filter((o): o is MatchOutput => o.type === 'match' && o.status === 'fired')
    .map((m) => m.eventIds.join(','));
const churn = (extra: Record<string, unknown> = {}): Trigger =>
  trig({ id: 'churn-risk', pattern: { kind: 'score', model: 'churn', gte: 0.7, ...extra } });
const ids = (out: Output[]): string[] =>
  out.filter((o): o is MatchOutput => o.type === 'match').map(renderMatch);

describe('score pattern: crossing and hysteresis (gte)', () => {
  it('fires when the score rises to the threshold, and not again until it fell below the band', () => {
    const e = createEngine([churn()]);
    const out = feed(e, [
      score('s1', 1, 0.5),
      score('s2', 2, 0.72), // crosses: fires
      score('s3', 3, 0.65), // inside the band (0.6..0.7): still disarmed
      score('s4', 4, 0.72), // no second firing within hysteresis
      score('s5', 5, 0.6), // 0.6 is not below 0.7 - 0.1: still disarmed
      score('s6', 6, 0.71),
      score('s7', 7, 0.59), // below the band: re-armed
      score('s8', 8, 0.7), // the threshold itself counts (gte): fires
    ]);
    expect(fired(out)).toEqual(['s2', 's8']);
  });

  it('counts the first score a customer gets as a crossing when it is already past the threshold', () => {
    expect(fired(feed(createEngine([churn()]), [score('s1', 1, 0.9), score('s2', 2, 0.95)]))).toEqual(['s1']);
  });

  it('ignores other models, other events and values that are not numbers', () => {
    const e = createEngine([churn()]);
    const out = feed(e, [
      score('o1', 1, 0.9, 'purchase'),
      ev('x1', 'session.started', 2 * 60_000, { model: 'churn', value: 0.9 }),
      score('n1', 3, '0.9'),
      score('n2', 4, null),
      score('s1', 5, 0.8),
    ]);
    expect(fired(out)).toEqual(['s1']);
  });

  it('with hysteresis 0 fires on every upward crossing', () => {
    const e = createEngine([churn({ hysteresis: 0 })]);
    const out = feed(e, [score('a', 1, 0.7), score('b', 2, 0.7), score('c', 3, 0.69), score('d', 4, 0.7)]);
    expect(fired(out)).toEqual(['a', 'd']);
  });

  it('takes the band from "hysteresis"', () => {
    const e = createEngine([churn({ hysteresis: 0.02 })]);
    const out = feed(e, [score('a', 1, 0.75), score('b', 2, 0.69), score('c', 3, 0.675), score('d', 4, 0.7)]);
    expect(fired(out)).toEqual(['a', 'd']);
  });
});

describe('score pattern: lte', () => {
  it('fires when the score falls to the threshold and re-arms above threshold + band', () => {
    const e = createEngine([
      trig({ id: 'buy-cooling', pattern: { kind: 'score', model: 'purchase', lte: 0.3, as: 'low' } }),
    ]);
    const out = feed(e, [
      score('a', 1, 0.5, 'purchase'),
      score('b', 2, 0.3, 'purchase'), // fires (lte is inclusive)
      score('c', 3, 0.4, 'purchase'), // 0.4 is not above 0.3 + 0.1
      score('d', 4, 0.2, 'purchase'),
      score('e', 5, 0.41, 'purchase'), // re-armed
      score('f', 6, 0.29, 'purchase'), // fires
    ]);
    expect(fired(out)).toEqual(['b', 'f']);
    const m = out.find((o): o is MatchOutput => o.type === 'match') as MatchOutput;
    expect(m.bindings).toEqual({ low: ['b'] });
  });
});

describe('score pattern inside seq and all', () => {
  it('as a later step binds only a crossing after the earlier step', () => {
    const t = trig({
      id: 'cart-then-risk',
      pattern: {
        kind: 'seq',
        steps: [
          { kind: 'step', node: { kind: 'event', name: 'cart.updated', as: 'cart' } },
          { kind: 'step', node: { kind: 'score', model: 'churn', gte: 0.7, as: 'risk' } },
        ],
        within: '7d',
      },
    });
    const e = createEngine([t]);
    const out = feed(e, [
      score('s1', 1, 0.8), // crosses before any cart: disarms, binds nothing
      ev('c1', 'cart.updated', 2 * 60_000),
      score('s2', 3, 0.85), // still disarmed: no match
      score('s3', 4, 0.5), // re-arms
      score('s4', 5, 0.75), // crosses: completes the sequence
    ]);
    expect(ids(out)).toEqual(['cart-then-risk c1,s4@300000']);
  });

  it('as a first step followed by an absence: "at risk and no order for 2h"', () => {
    const t = trig({
      id: 'risk-no-order',
      pattern: {
        kind: 'seq',
        steps: [
          { kind: 'step', node: { kind: 'score', model: 'churn', gte: 0.7 } },
          { kind: 'absent', event: { kind: 'event', name: 'order.completed' }, for: '2h' },
        ],
      },
    });
    const e = createEngine([t]);
    const out = [...feed(e, [score('s1', 0, 0.9)]), ...e.advanceTo(2 * HOUR)];
    expect(ids(out)).toEqual(['risk-no-order s1 absence@7200000']);
  });

  it('in an all: the crossing and the other event within the window, in any order', () => {
    const t = trig({
      id: 'risk-and-unsub',
      pattern: {
        kind: 'all',
        of: [
          { kind: 'score', model: 'churn', gte: 0.7 },
          { kind: 'event', name: 'email.unsubscribed' },
        ],
        within: '1h',
      },
    });
    const e = createEngine([t]);
    const out = feed(e, [
      ev('u1', 'email.unsubscribed', 60_000),
      score('s1', 2, 0.65), // below: nothing
      score('s2', 3, 0.9), // crosses with u1 in the window
    ]);
    expect(ids(out)).toEqual(['risk-and-unsub u1,s2@180000']);
  });

  it('in an any: the crossing child wins like an atom', () => {
    const t = trig({
      id: 'either',
      pattern: {
        kind: 'any',
        of: [
          { kind: 'score', model: 'churn', gte: 0.7, as: 'risk' },
          { kind: 'event', name: 'account.closing', as: 'closing' },
        ],
      },
    });
    const out = feed(createEngine([t]), [score('s1', 1, 0.7), score('s2', 2, 0.71)]);
    expect(out.filter((o): o is MatchOutput => o.type === 'match').map((o) => o.bindings)).toEqual([
      { risk: ['s1'], closing: [] },
    ]);
  });

  it('applies re-entry as usual: "once" suppresses a second crossing', () => {
    const e = createEngine([churn({}), trig({ ...churn(), id: 'once', reentry: { mode: 'once' } })]);
    const out = feed(e, [score('a', 1, 0.8), score('b', 2, 0.1), score('c', 3, 0.8)]);
    expect(ids(out)).toEqual([
      'churn-risk a@60000',
      'once a@60000',
      'churn-risk c@180000',
      'once c@180000 suppressed:reentry',
    ]);
  });
});

describe('score pattern: snapshot and restore', () => {
  it('carries the disarmed state: a restored engine continues exactly as one that never stopped', () => {
    const events = [
      score('a', 1, 0.8),
      score('b', 2, 0.65),
      score('c', 3, 0.72),
      score('d', 4, 0.3),
      score('e', 5, 0.9),
    ];
    const straight = fired(feed(createEngine([churn()]), events));
    const first = createEngine([churn()]);
    const before = fired(feed(first, events.slice(0, 2)));
    const state = JSON.parse(JSON.stringify(first.snapshot())) as ReturnType<typeof first.snapshot>;
    expect(state.triggers['churn-risk']?.h).toEqual([0]);
    const after = fired(feed(createEngine([churn()], undefined, state), events.slice(2)));
    expect([...before, ...after]).toEqual(straight);
    expect(straight).toEqual(['a', 'e']);
  });

  it('forgets the hysteresis state when the trigger version changes (armed anew)', () => {
    const first = createEngine([churn()]);
    feed(first, [score('a', 1, 0.8)]);
    const v2 = trig({ ...churn(), version: 2 });
    expect(fired(feed(createEngine([v2], undefined, first.snapshot()), [score('b', 2, 0.75)]))).toEqual([
      'b',
    ]);
  });
});

describe('score pattern: validation', () => {
  const check = (pattern: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    validateTrigger({ id: 't', version: 1, pattern, ...extra });
  const messages = (r: ReturnType<typeof check>): string[] =>
    r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);

  it('needs exactly one of gte and lte', () => {
    expect(messages(check({ kind: 'score', model: 'churn' }))).toEqual([
      expect.stringMatching(/^pattern\.gte: a score pattern needs exactly one threshold/),
    ]);
    expect(messages(check({ kind: 'score', model: 'churn', gte: 0.7, lte: 0.2 }))).toEqual([
      expect.stringMatching(/^pattern\.lte: a score pattern needs exactly one threshold/),
    ]);
  });

  it('bounds thresholds, the band and the model id', () => {
    expect(messages(check({ kind: 'score', model: 'churn', gte: 1.5 }))).toEqual([
      'pattern.gte: must be between 0 and 1',
    ]);
    expect(messages(check({ kind: 'score', model: 'churn', gte: 0.7, hysteresis: 0.6 }))).toEqual([
      'pattern.hysteresis: must be between 0 and 0.5',
    ]);
    expect(messages(check({ kind: 'score', model: 'Churn!', gte: 0.7 }))[0]).toMatch(
      /^pattern\.model: must be a model id/,
    );
  });

  it('refuses correlate on a trigger that reads a score', () => {
    const r = check(
      {
        kind: 'seq',
        steps: [
          { kind: 'step', node: { kind: 'event', name: 'cart.updated' } },
          { kind: 'step', node: { kind: 'score', model: 'churn', gte: 0.7 } },
        ],
      },
      { correlate: { by: ['properties.cartId'] } },
    );
    expect(messages(r)).toEqual([
      expect.stringMatching(/^correlate: a "score" pattern reads the customer's score/),
    ]);
  });

  it('parses inside seq, all and any', () => {
    const s = { kind: 'score', model: 'churn', gte: 0.7 };
    for (const pattern of [
      {
        kind: 'seq',
        steps: [
          { kind: 'step', node: s },
          { kind: 'step', node: { kind: 'event', name: 'x' } },
        ],
      },
      { kind: 'all', of: [s, { kind: 'event', name: 'x' }], within: '1d' },
      { kind: 'any', of: [s, { kind: 'event', name: 'x' }] },
    ])
      expect(TriggerSchema.safeParse({ id: 't', version: 1, pattern }).success).toBe(true);
  });
});

describe('score pattern in replay', () => {
  it('replays recorded kairos.score events exactly as the journey feeds them', () => {
    const lines = runReplay(
      [churn()],
      [
        { customerId: 'ana', event: score('s1', 1, 0.72) },
        { customerId: 'ana', event: score('s2', 2, 0.65) },
        { customerId: 'ana', event: score('s3', 3, 0.72) },
        { customerId: 'bob', event: score('s4', 1, 0.4) },
        { customerId: 'bob', event: score('s5', 2, 0.71) },
      ],
    );
    const matched = lines.filter((l) => l.type === 'match');
    expect(matched.map((l) => [l.customerId, l.bindings])).toEqual([
      ['ana', { '0': ['s1'] }],
      ['bob', { '0': ['s5'] }],
    ]);
  });
});
