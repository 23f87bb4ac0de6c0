import { CustomerProfileSchema } from './profile.schema';
import { EventSchema } from './event.schema';
import { boundedJsonObject, findJsonBoundViolation, OPEN_JSON_BOUNDS } from './json-bounds';

/** `{a: {a: ... {a: 1}}}` with `levels` objects, built without recursion. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { a: 1 };
  for (let i = 1; i < levels; i += 1) value = { a: value };
  return value;
}

describe('findJsonBoundViolation', () => {
  const bounds = { maxDepth: 5, maxBytes: 1024 };

  it('accepts a value exactly at the depth bound and refuses one level more, naming the first too-deep path', () => {
    expect(findJsonBoundViolation(nested(5), bounds)).toBeNull();
    expect(findJsonBoundViolation(nested(6), bounds)).toEqual({
      path: ['a', 'a', 'a', 'a', 'a'],
      message: 'must be nested at most 5 levels deep',
    });
  });

  it('walks 20,000 levels and a million-element array without recursion', () => {
    expect(findJsonBoundViolation(nested(20_000), OPEN_JSON_BOUNDS)?.path).toHaveLength(5);
    const arrays: unknown[] = [];
    let at = arrays;
    for (let i = 0; i < 20_000; i += 1) {
      const next: unknown[] = [];
      at.push(next);
      at = next;
    }
    expect(findJsonBoundViolation({ list: arrays }, OPEN_JSON_BOUNDS)?.path).toEqual(['list', 0, 0, 0, 0]);
    expect(findJsonBoundViolation({ wide: new Array(1_000_000).fill(0) }, OPEN_JSON_BOUNDS)).toEqual({
      path: [],
      message: 'must be at most 32 KiB of JSON',
    });
  });

  it('counts bytes exactly as JSON.stringify serialises them (UTF-8, escapes, undefined members left out)', () => {
    const values: Record<string, unknown>[] = [
      { s: 'é"\n', n: -1.5e-7, t: true, z: null, list: [1, 'x', { k: [] }] },
      { skipped: undefined, kept: 'ü' },
      {},
    ];
    for (const value of values) {
      const size = Buffer.byteLength(JSON.stringify(value));
      expect(findJsonBoundViolation(value, { maxDepth: 10, maxBytes: size })).toBeNull();
      expect(findJsonBoundViolation(value, { maxDepth: 10, maxBytes: size - 1 })?.message).toMatch(/KiB/);
    }
  });
});

describe('boundedJsonObject', () => {
  const schema = boundedJsonObject(OPEN_JSON_BOUNDS);

  it('parses a JSON object within bounds to the same value', () => {
    const value = { cart: { items: [{ sku: 'a', qty: 2 }] }, total: 12.5, gift: false, note: null };
    expect(schema.parse(value)).toEqual(value);
  });

  it('refuses non-objects and non-JSON values with the ordinary zod issues', () => {
    expect(schema.safeParse([1]).success).toBe(false);
    expect(schema.safeParse({ f: () => 1 }).error?.issues[0]?.path).toEqual(['f']);
  });
});

describe('open JSON fields of the public schemas', () => {
  it('answers an event whose properties are nested 20,000 deep with an issue at the first too-deep path', () => {
    const result = EventSchema.safeParse({ customerId: 'c', name: 'a', properties: nested(20_000) });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['properties.a.a.a.a.a', 'must be nested at most 5 levels deep'],
    ]);
  });

  it('bounds profile attributes like event properties (depth and size)', () => {
    const deep = CustomerProfileSchema.safeParse({ attributes: nested(20_000) });
    expect(deep.error?.issues.map((i) => i.path.join('.'))).toEqual(['attributes.a.a.a.a.a']);
    const big = CustomerProfileSchema.safeParse({ attributes: { blob: 'x'.repeat(33 * 1024) } });
    expect(big.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['attributes', 'must be at most 32 KiB of JSON'],
    ]);
    expect(CustomerProfileSchema.parse({ attributes: nested(5) }).attributes).toEqual(nested(5));
  });
});
