import type { Pred } from './pred.schema';
import { evaluatePred } from './predicate';

const ev = {
  name: 'cart.updated',
  properties: {
    total: 250,
    totalText: '250',
    plan: 'pro',
    empty: null,
    tags: ['a'],
    nested: { a: { b: 1 } },
    flag: false,
  },
};

describe('evaluatePred', () => {
  it.each<[string, Pred, boolean]>([
    ['eq on equal string', { path: 'properties.plan', op: 'eq', value: 'pro' }, true],
    ['eq never coerces "250" to 250', { path: 'properties.totalText', op: 'eq', value: 250 }, false],
    ['gt on a number', { path: 'properties.total', op: 'gt', value: 200 }, true],
    ['gt on the string "250" is false', { path: 'properties.totalText', op: 'gt', value: 200 }, false],
    ['gte boundary', { path: 'properties.total', op: 'gte', value: 250 }, true],
    ['lt on missing is false', { path: 'properties.nope', op: 'lt', value: 1 }, false],
    ['neq on missing is false', { path: 'properties.nope', op: 'neq', value: 'x' }, false],
    ['neq on a different type is false', { path: 'properties.total', op: 'neq', value: 'x' }, false],
    ['neq on a different value is true', { path: 'properties.plan', op: 'neq', value: 'free' }, true],
    [
      'eq null is false (comparisons on null are false)',
      { path: 'properties.empty', op: 'eq', value: null },
      false,
    ],
    ['exists on null is false', { path: 'properties.empty', op: 'exists' }, false],
    ['missing on null is true', { path: 'properties.empty', op: 'missing' }, true],
    ['exists on an object', { path: 'properties.nested', op: 'exists' }, true],
    ['nested path', { path: 'properties.nested.a.b', op: 'eq', value: 1 }, true],
    ['path through an array reads missing', { path: 'properties.tags.0', op: 'exists' }, false],
    ['in', { path: 'properties.plan', op: 'in', values: ['pro', 'team'] }, true],
    ['in never coerces', { path: 'properties.totalText', op: 'in', values: [250] }, false],
    ['nin on missing is false', { path: 'properties.nope', op: 'nin', values: ['a'] }, false],
    ['nin on absent value', { path: 'properties.plan', op: 'nin', values: ['free'] }, true],
    ['contains', { path: 'properties.plan', op: 'contains', value: 'r' }, true],
    ['startsWith', { path: 'properties.plan', op: 'startsWith', value: 'pr' }, true],
    ['endsWith on a number is false', { path: 'properties.total', op: 'endsWith', value: '0' }, false],
    ['name path', { path: 'name', op: 'startsWith', value: 'cart.' }, true],
    ['eq false boolean', { path: 'properties.flag', op: 'eq', value: false }, true],
    [
      'not is plain negation (of a false comparison on missing)',
      { op: 'not', arg: { path: 'properties.nope', op: 'eq', value: 1 } },
      true,
    ],
    [
      'and',
      {
        op: 'and',
        args: [
          { path: 'properties.total', op: 'gt', value: 1 },
          { path: 'properties.plan', op: 'eq', value: 'pro' },
        ],
      },
      true,
    ],
    [
      'or',
      {
        op: 'or',
        args: [
          { path: 'properties.total', op: 'gt', value: 1000 },
          { path: 'properties.plan', op: 'eq', value: 'x' },
        ],
      },
      false,
    ],
  ])('%s', (_name, pred, expected) => {
    expect(evaluatePred(pred, ev)).toBe(expected);
  });

  it('works on an arbitrary root with profile paths', () => {
    const root = { properties: { total: 10 }, profile: { tier: 'gold' } };
    expect(evaluatePred({ path: 'profile.tier', op: 'eq', value: 'gold' }, root)).toBe(true);
  });

  it('resolves references against bound events and is false without them', () => {
    const pred: Pred = {
      path: 'properties.cart_id',
      op: 'eqRef',
      ref: { as: 'cart', path: 'properties.cart_id' },
    };
    const root = { properties: { cart_id: 'c1' } };
    expect(evaluatePred(pred, root, { cart: { properties: { cart_id: 'c1' } } })).toBe(true);
    expect(evaluatePred(pred, root, { cart: { properties: { cart_id: 'c2' } } })).toBe(false);
    expect(evaluatePred(pred, root)).toBe(false);
  });
});
