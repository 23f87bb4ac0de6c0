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

  // docs/triggers.md §3.3: missing, null and a different type make every comparison false.
  it.each<[string, Pred, unknown, boolean]>([
    ['neq 1 on "1"', { path: 'properties.x', op: 'neq', value: 1 }, '1', false],
    ['neq 1 on true', { path: 'properties.x', op: 'neq', value: 1 }, true, false],
    ['neq 1 on null', { path: 'properties.x', op: 'neq', value: 1 }, null, false],
    ['neq 1 on missing', { path: 'properties.x', op: 'neq', value: 1 }, undefined, false],
    ['neq 1 on 2', { path: 'properties.x', op: 'neq', value: 1 }, 2, true],
    ['nin [1,2] on "1"', { path: 'properties.x', op: 'nin', values: [1, 2] }, '1', false],
    ['nin [1,2] on true', { path: 'properties.x', op: 'nin', values: [1, 2] }, true, false],
    ['nin [1,2] on null', { path: 'properties.x', op: 'nin', values: [1, 2] }, null, false],
    ['nin [1,2] on missing', { path: 'properties.x', op: 'nin', values: [1, 2] }, undefined, false],
    ['nin [1,2] on an object', { path: 'properties.x', op: 'nin', values: [1, 2] }, { a: 1 }, false],
    ['nin [1,2] on 3', { path: 'properties.x', op: 'nin', values: [1, 2] }, 3, true],
    ['nin [1,2] on 1', { path: 'properties.x', op: 'nin', values: [1, 2] }, 1, false],
    ['nin [1,"a"] on 3 (number listed)', { path: 'properties.x', op: 'nin', values: [1, 'a'] }, 3, true],
    ['nin [1,"a"] on "b" (string listed)', { path: 'properties.x', op: 'nin', values: [1, 'a'] }, 'b', true],
    ['nin [1,"a"] on "1"', { path: 'properties.x', op: 'nin', values: [1, 'a'] }, '1', true],
    ['nin [1,"a"] on "a"', { path: 'properties.x', op: 'nin', values: [1, 'a'] }, 'a', false],
    [
      'nin [1,"a"] on false (no boolean listed)',
      { path: 'properties.x', op: 'nin', values: [1, 'a'] },
      false,
      false,
    ],
    ['nin [null] on "x" (null is no type)', { path: 'properties.x', op: 'nin', values: [null] }, 'x', false],
    ['nin [] is never true', { path: 'properties.x', op: 'nin', values: [] }, 'x', false],
    ['in [1] on "1"', { path: 'properties.x', op: 'in', values: [1] }, '1', false],
    ['eq true on 1', { path: 'properties.x', op: 'eq', value: true }, 1, false],
    ['gt 0 on "5"', { path: 'properties.x', op: 'gt', value: 0 }, '5', false],
    ['lte 0 on null', { path: 'properties.x', op: 'lte', value: 0 }, null, false],
    ['contains "a" on ["a"]', { path: 'properties.x', op: 'contains', value: 'a' }, ['a'], false],
  ])('§3.3 type rule: %s', (_name, pred, x, expected) => {
    const properties = x === undefined ? {} : { x };
    expect(evaluatePred(pred, { name: 'e', properties })).toBe(expected);
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
