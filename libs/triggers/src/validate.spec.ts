import { defineTrigger } from './define-trigger';
import { TriggerError } from './errors';
import { triggerJsonSchema } from './json-schema';
import { EngineConfigSchema } from './engine-config.schema';
import { PolicySchema } from './policy.schema';
import { triggerEventNames, responseEventNames, validateTriggerSet } from './trigger-set';
import { validateTrigger } from './validate';

const atom = (name: string, extra: Record<string, unknown> = {}) => ({ kind: 'event', name, ...extra });
const step = (node: unknown, extra: Record<string, unknown> = {}) => ({ kind: 'step', node, ...extra });
const base = (pattern: unknown, extra: Record<string, unknown> = {}) => ({
  id: 'x',
  version: 1,
  pattern,
  ...extra,
});

function errorsOf(input: unknown): { path: string; message: string }[] {
  const r = validateTrigger(input);
  return r.ok ? [] : r.errors;
}

describe('trigger validation: rules of docs/triggers.md §2.7 with JSON paths', () => {
  it('accepts a well-formed seq with an absence at the end', () => {
    expect(
      errorsOf(
        base({ kind: 'seq', steps: [step(atom('a')), { kind: 'absent', event: atom('b'), for: '2h' }] }),
      ),
    ).toEqual([]);
  });

  it.each<[string, unknown, string, RegExp]>([
    [
      'absent first',
      { kind: 'seq', steps: [{ kind: 'absent', event: atom('b') }, step(atom('a'))] },
      'pattern.steps[0]',
      /cannot start with "absent"/,
    ],
    [
      'adjacent absents',
      {
        kind: 'seq',
        steps: [
          step(atom('a')),
          { kind: 'absent', event: atom('b') },
          { kind: 'absent', event: atom('c'), for: '1h' },
        ],
      },
      'pattern.steps[2]',
      /cannot follow each other/,
    ],
    [
      'last absent without for',
      { kind: 'seq', steps: [step(atom('a')), { kind: 'absent', event: atom('b') }] },
      'pattern.steps[1].for',
      /needs "for"/,
    ],
    [
      'middle absent with for',
      {
        kind: 'seq',
        steps: [step(atom('a')), { kind: 'absent', event: atom('b'), for: '1h' }, step(atom('c'))],
      },
      'pattern.steps[1].for',
      /only allowed on an "absent" step at the end/,
    ],
    [
      'eqRef to a later step',
      {
        kind: 'seq',
        steps: [
          step(
            atom('a', {
              where: { path: 'properties.x', op: 'eqRef', ref: { as: 'bb', path: 'properties.x' } },
            }),
          ),
          step(atom('b', { as: 'bb' })),
        ],
      },
      'pattern.steps[0].node.where.ref.as',
      /not bound by an earlier step/,
    ],
    [
      'eqRef outside seq',
      atom('a', { where: { path: 'properties.x', op: 'eqRef', ref: { as: 'q', path: 'properties.x' } } }),
      'pattern.where.ref.as',
      /only work inside a "seq"/,
    ],
    [
      'duplicate as',
      { kind: 'seq', steps: [step(atom('a', { as: 'n' })), step(atom('b', { as: 'n' }))] },
      'pattern.steps[1].node.as',
      /already used/,
    ],
    [
      'bad duration',
      { kind: 'seq', within: '2 hours', steps: [step(atom('a')), step(atom('b'))] },
      'pattern.within',
      /must be a duration/,
    ],
    [
      'duration over 180 days',
      { kind: 'inactivity', event: atom('a'), for: '181d' },
      'pattern.for',
      /at most 180 days/,
    ],
    [
      'gt with a string value',
      atom('a', { where: { path: 'properties.x', op: 'gt', value: '200' } }),
      'pattern.where.value',
      /number/,
    ],
    [
      'path too deep',
      atom('a', { where: { path: 'properties.a.b.c.d.e', op: 'exists' } }),
      'pattern.where.path',
      /at most 4 fields/,
    ],
    [
      'count over 100',
      { kind: 'count', event: atom('a'), atLeast: 101, within: '1h' },
      'pattern.atLeast',
      /at most 100/,
    ],
    ['all with one child', { kind: 'all', of: [atom('a')], within: '1h' }, 'pattern.of', /at least 2/],
    ['unknown pattern kind', { kind: 'sequence', steps: [] }, 'pattern.kind', /must be one of/],
    [
      'maxGap on the first step',
      { kind: 'seq', steps: [step(atom('a'), { maxGap: '1h' }), step(atom('b'))] },
      'pattern.steps[0].maxGap',
      /first step has none/,
    ],
  ])('rejects %s', (_name, pattern, path, message) => {
    const errors = errorsOf(base(pattern));
    expect(errors.map((e) => e.path)).toContain(path);
    expect(errors.find((e) => e.path === path)?.message).toMatch(message);
  });

  it('rejects a correlate path an atom requires to be missing', () => {
    const errors = errorsOf(
      base(atom('a', { where: { path: 'properties.k', op: 'missing' } }), {
        correlate: { by: ['properties.k'] },
      }),
    );
    expect(errors).toEqual([{ path: 'pattern.where', message: expect.stringMatching(/correlated by it/) }]);
  });

  it('rejects unknown fields by name', () => {
    expect(errorsOf({ ...base(atom('a')), prority: 3 })).toEqual([
      { path: '', message: expect.stringMatching(/unknown field "prority"/) },
    ]);
  });

  it('rejects cooldown mode without a cooldown', () => {
    expect(errorsOf(base(atom('a'), { reentry: { mode: 'cooldown' } }))[0]?.path).toBe('reentry.cooldown');
  });
});

describe('validateTriggerSet', () => {
  it('rejects duplicate ids with the path of the second', () => {
    const r = validateTriggerSet([base(atom('a')), base(atom('b'))]);
    expect(r).toEqual({
      ok: false,
      errors: [{ path: '[1].id', message: expect.stringMatching(/already the id of trigger \[0\]/) }],
    });
  });

  it('prefixes paths with the index', () => {
    const r = validateTriggerSet([base(atom('a')), { id: 'y', version: 0, pattern: atom('b') }]);
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toEqual(['[1].version']);
  });

  it('rejects a set whose static state bound exceeds 192 KiB', () => {
    const big = (i: number) =>
      base(
        { kind: 'seq', steps: [step(atom('a')), step(atom('b'))] },
        { id: `t${i}`, correlate: { by: ['properties.k'] } },
      );
    const r = validateTriggerSet([big(1), big(2)]);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.errors[0]?.message).toMatch(/over the 196608-byte budget/);
  });

  it('accepts one correlated two-step sequence with the default limits (32 keys x 8 partials)', () => {
    const one = base(
      { kind: 'seq', steps: [step(atom('a')), step(atom('b'))] },
      { correlate: { by: ['properties.k'] } },
    );
    expect(validateTriggerSet([one]).ok).toBe(true);
  });

  it('accepts a valid set', () => {
    const r = validateTriggerSet([base(atom('a')), { ...base(atom('b')), id: 'y' }]);
    expect(r.ok && r.triggers.map((t) => t.id)).toEqual(['x', 'y']);
  });
});

describe('defineTrigger, event names, JSON schema, config and policy', () => {
  it('returns a valid definition unchanged and throws a coded error otherwise', () => {
    const t = defineTrigger({ id: 'ok', version: 1, pattern: { kind: 'event', name: 'a' } });
    expect(t.id).toBe('ok');
    expect(() =>
      defineTrigger({
        id: 'bad',
        version: 1,
        pattern: {
          kind: 'seq',
          steps: [
            { kind: 'absent', event: { kind: 'event', name: 'a' }, for: '1h' },
            { kind: 'step', node: { kind: 'event', name: 'b' } },
          ],
        },
      }),
    ).toThrow(TriggerError);
  });

  it('lists every event name a pattern mentions, and response names separately', () => {
    const triggers = [
      defineTrigger({
        id: 'a',
        version: 1,
        pattern: {
          kind: 'seq',
          steps: [
            {
              kind: 'step',
              node: {
                kind: 'all',
                within: '1h',
                of: [
                  { kind: 'event', name: 'x' },
                  { kind: 'count', event: { kind: 'event', name: 'y' }, atLeast: 2, within: '1h' },
                ],
              },
            },
            { kind: 'absent', event: { kind: 'event', name: 'z' }, for: '1h' },
          ],
        },
      }),
      defineTrigger({ id: 'b', version: 1, enabled: false, pattern: { kind: 'event', name: 'off' } }),
      defineTrigger({
        id: 'c',
        version: 1,
        pattern: { kind: 'inactivity', event: { kind: 'event', name: 'w' }, for: '1d' },
        response: {
          channels: { order: ['email'] },
          template: 't',
          exitOn: [{ kind: 'event', name: 'stop' }],
          conversion: { event: { kind: 'event', name: 'buy' }, window: '7d' },
        },
      }),
    ];
    expect(triggerEventNames(triggers)).toEqual(['w', 'x', 'y', 'z']);
    expect(responseEventNames(triggers)).toEqual(['buy', 'stop']);
  });

  it('exports a JSON Schema for editors', () => {
    const schema = triggerJsonSchema();
    expect(schema).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['id', 'version', 'pattern']),
    });
    expect(JSON.stringify(schema)).toContain('inactivity');
  });

  it('fills engine config and policy defaults', () => {
    expect(EngineConfigSchema.parse({})).toEqual({
      time: { basis: 'arrival', allowedLateness: 0, maxFutureSkew: '5m' },
      dedupe: { capacity: 2000 },
      buffer: { maxEvents: 100 },
      arbitration: { mode: 'immediate' },
    });
    expect(EngineConfigSchema.safeParse({ arbitration: { mode: 'ranked' } }).error?.issues[0]?.path).toEqual([
      'arbitration',
      'rankWindow',
    ]);
    expect(PolicySchema.parse({})).toMatchObject({
      quietHours: { start: '21:00', end: '08:00' },
      minGap: '4h',
      gapWinner: 'priority',
    });
  });
});
