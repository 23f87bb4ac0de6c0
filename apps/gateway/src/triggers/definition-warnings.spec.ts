import { definitionWarnings } from './definition-warnings';

const def = (name: string, extra: Record<string, unknown> = {}) => ({
  id: 't',
  version: 1,
  pattern: { kind: 'event', name },
  ...extra,
});

describe('definitionWarnings (the validate endpoint)', () => {
  const now = new Date('2026-03-31T00:00:00Z');

  it('names each unseen event where the definition mentions it, asking the store for the last 30 days', async () => {
    const asked: { names: string[]; since: Date }[] = [];
    const warnings = await definitionWarnings(
      [
        def('a'),
        {
          ...def('b'),
          id: 'u',
          response: { channels: { order: ['email'] }, template: 'x', exitOn: [{ kind: 'event', name: 'a' }] },
        },
      ],
      async (names, since) => {
        asked.push({ names, since });
        return new Set(['a']);
      },
      now,
    );
    expect(asked).toEqual([{ names: ['a', 'b'], since: new Date('2026-03-01T00:00:00Z') }]);
    expect(warnings).toEqual([
      {
        path: '[1].pattern.name',
        message: expect.stringContaining('no event named "b" was received in the last 30 days'),
      },
    ]);
  });

  it('skips the event check when the store cannot judge (null), keeps predicate warnings, ignores invalid definitions', async () => {
    const where = {
      op: 'and',
      args: [
        { path: 'properties.n', op: 'gt', value: 3 },
        { path: 'properties.n', op: 'lt', value: 1 },
      ],
    };
    const warnings = await definitionWarnings(
      [{ ...def('a'), pattern: { kind: 'event', name: 'a', where } }, { id: 'broken' }],
      async () => null,
      now,
    );
    expect(warnings).toEqual([
      { path: '[0].pattern.where', message: expect.stringContaining('can never be true') },
    ]);
  });
});
