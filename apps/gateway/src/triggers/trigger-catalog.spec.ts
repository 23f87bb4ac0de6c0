import { FIXTURE_TRIGGERS_DIR } from '../testing/gateway-harness';
import { loadCatalog, triggerEventNames, validateDefinition } from './trigger-catalog';

describe('trigger catalog (which event names matter)', () => {
  it('collects pattern atoms, exit rules and conversion goals of enabled triggers only', () => {
    const catalog = loadCatalog(FIXTURE_TRIGGERS_DIR);
    expect(catalog.errors).toEqual([]);
    expect([...catalog.eventNames].sort()).toEqual([
      'cart.updated',
      'customer.unsubscribed',
      'order.completed',
      'order.placed',
    ]);
    expect(catalog.triggers.map((t) => [t.id, t.enabled])).toEqual([
      ['abandoned-cart', true],
      ['old-promo', false],
    ]);
  });

  it('finds atoms nested in count, all, any and inactivity nodes but not inside `where` values', () => {
    const names = triggerEventNames({
      id: 't',
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
        exitOn: [{ kind: 'event', name: 'x.exit' }],
        conversion: { event: { kind: 'event', name: 'y.buy' } },
      },
    });
    expect(names).toEqual(['a.viewed', 'b', 'c', 'x.exit', 'y.buy']);
  });

  it('reports a missing directory instead of failing', () => {
    const catalog = loadCatalog('/nonexistent/kairos-triggers');
    expect(catalog.eventNames.size).toBe(0);
    expect(catalog.errors[0]?.message).toMatch(/does not exist/);
  });

  it('validates definitions with paths and actionable messages', () => {
    expect(validateDefinition({ id: 'ok', version: 1, pattern: { kind: 'event', name: 'a' } })).toEqual([]);
    expect(validateDefinition([]).map((e) => e.path)).toEqual(['']);
    expect(
      validateDefinition({ id: 'Bad Id', version: 0, pattern: { kind: 'sometimes' } }).map((e) => e.path),
    ).toEqual(['id', 'version', 'pattern.kind']);
  });

  it('hashes definitions independently of key order', () => {
    const a = loadCatalog(FIXTURE_TRIGGERS_DIR).triggers[0]!.hash;
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(loadCatalog(FIXTURE_TRIGGERS_DIR).triggers[0]!.hash).toBe(a);
  });
});
