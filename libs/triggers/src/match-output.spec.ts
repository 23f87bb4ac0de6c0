import { createHash } from 'node:crypto';
import { compileSet } from './compile';
import type { Rec } from './engine.types';
import { makeMatch, matchShapesOf } from './match-output';
import { TriggerSchema } from './trigger.schema';

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('makeMatch', () => {
  const trigger = TriggerSchema.parse({
    id: 'seq-t',
    version: 3,
    group: 'g',
    correlate: { by: ['properties.a', 'properties.b'] },
    pattern: {
      kind: 'seq',
      steps: [
        { kind: 'step', node: { kind: 'event', name: 'a', as: 'first' } },
        {
          kind: 'step',
          node: { kind: 'count', event: { kind: 'event', name: 'b' }, atLeast: 2, within: '1h' },
        },
      ],
    },
  });
  const set = compileSet([trigger]);
  const T = set.triggers[0]!;
  const b: Rec[][] = [
    [['e1', 10, 1, 0]],
    [
      ['e3', 30, 3, 1],
      ['e2', 20, 2, 1],
    ],
  ];

  it.each([
    ['a plain key', 'cart-1', null],
    ['a JSON key with quotes', '["x\\"y",2]', null],
    ['control and lone-surrogate characters', 'a\u0001\ud800b', 1234],
  ])('hashes JSON.stringify([id, version, key, eventIds, deadline]) for %s', (_what, key, deadline) => {
    const m = makeMatch(T, matchShapesOf(set), key, b, 'event', 30, deadline);
    expect(m.eventIds).toEqual(['e1', 'e2', 'e3']);
    expect(m.matchId).toBe(sha(JSON.stringify(['seq-t', 3, key, ['e1', 'e2', 'e3'], deadline])).slice(0, 32));
  });

  it('binds ids per `as` name (or step index) in time order and keeps the group', () => {
    const m = makeMatch(T, matchShapesOf(set), '', b, 'event', 30, null);
    expect(m.bindings).toEqual({ first: ['e1'], '1': ['e2', 'e3'] });
    expect(Object.keys(m.bindings)).toEqual(['1', 'first']);
    expect(m.group).toBe('g');
  });
});
