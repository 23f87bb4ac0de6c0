import { PolicySchema, TriggerSchema } from '@kairos/triggers';
import { DEFAULT_TRIGGERS_DIR } from '../config';
import { FIXTURE_TRIGGERS_DIR } from '@kairos/testing';
import { loadCatalog, relevantEventNames, validateDefinition } from './trigger-catalog';

describe('trigger catalog (the @kairos/triggers loader: which event names matter)', () => {
  it('loads the fixtures without errors and collects pattern atoms, exit rules and conversion goals of enabled triggers only', () => {
    const catalog = loadCatalog(FIXTURE_TRIGGERS_DIR);
    expect(catalog.errors).toEqual([]);
    expect([...catalog.eventNames].sort()).toEqual([
      'cart.updated',
      'customer.unsubscribed',
      'order.completed',
      'order.placed',
    ]);
    expect(catalog.triggers.map((t) => [t.id, t.version, t.enabled])).toEqual([
      ['abandoned-cart', 1, true],
      ['old-promo', 2, false],
    ]);
  });

  it('accepts cart.updated with the default trigger directory (the shipped example set)', () => {
    const catalog = loadCatalog(DEFAULT_TRIGGERS_DIR);
    expect(catalog.errors).toEqual([]);
    expect(catalog.triggers.map((t) => t.id)).toContain('abandoned-cart');
    expect(catalog.eventNames.has('cart.updated')).toBe(true);
    expect(catalog.eventNames.has('order.completed')).toBe(true);
  });

  it('keeps the workspace policy of the same read (backtests use it), defaults when the folder has none', () => {
    expect(loadCatalog(DEFAULT_TRIGGERS_DIR).policy.caps).toEqual({
      email: 2,
      sms: 1,
      push: 3,
      webhook: 100,
    });
    const missing = loadCatalog('/nonexistent/kairos-triggers');
    expect(missing.policy).toEqual(PolicySchema.parse({}));
  });

  it('finds atoms nested in count, all, any and absent steps but not inside `where` values', () => {
    const names = relevantEventNames([
      TriggerSchema.parse({
        id: 't',
        version: 1,
        pattern: {
          kind: 'any',
          of: [
            {
              kind: 'count',
              event: {
                kind: 'event',
                name: 'a.viewed',
                where: { path: 'properties.kind', op: 'eq', value: 'event' },
              },
              atLeast: 3,
              within: '1h',
            },
            {
              kind: 'all',
              of: [
                { kind: 'event', name: 'b' },
                { kind: 'event', name: 'c' },
              ],
              within: '1d',
            },
          ],
        },
        response: {
          channels: { order: ['email'] },
          template: 't',
          exitOn: [{ kind: 'event', name: 'x.exit' }],
          conversion: { event: { kind: 'event', name: 'y.buy' }, window: '7d' },
        },
      }),
    ]);
    expect(names).toEqual(['a.viewed', 'b', 'c', 'x.exit', 'y.buy']);
  });

  it('reports a missing directory instead of failing', () => {
    const catalog = loadCatalog('/nonexistent/kairos-triggers');
    expect(catalog.eventNames.size).toBe(0);
    expect(catalog.errors[0]?.message).toMatch(/does not exist/);
  });

  it('validates one definition or an array with the library rules, with paths and actionable messages', () => {
    expect(validateDefinition({ id: 'ok', version: 1, pattern: { kind: 'event', name: 'a' } })).toEqual([]);
    expect(validateDefinition([]).map((e) => e.path)).toEqual(['']);
    expect(validateDefinition('nope').map((e) => e.path)).toEqual(['']);
    const bad = validateDefinition({ id: 'Bad Id', version: 0, pattern: { kind: 'sometimes' } });
    expect(bad.map((e) => e.path)).toEqual(expect.arrayContaining(['id', 'version', 'pattern.kind']));
    expect(bad.every((e) => e.message.length > 0)).toBe(true);
    const dup = validateDefinition([
      { id: 'a', version: 1, pattern: { kind: 'event', name: 'x' } },
      { id: 'a', version: 2, pattern: { kind: 'event', name: 'y' } },
    ]);
    expect(dup).toEqual([{ path: '[1].id', message: expect.stringMatching(/unique/) }]);
  });

  it('hashes definitions deterministically', () => {
    const a = loadCatalog(FIXTURE_TRIGGERS_DIR).triggers[0]!.hash;
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(loadCatalog(FIXTURE_TRIGGERS_DIR).triggers[0]!.hash).toBe(a);
    expect(loadCatalog(FIXTURE_TRIGGERS_DIR).triggers[1]!.hash).not.toBe(a);
  });
});
