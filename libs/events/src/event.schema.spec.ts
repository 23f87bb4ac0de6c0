import { EventSchema } from './event.schema';

describe('EventSchema', () => {
  it('accepts a minimal event and fills the defaults', () => {
    const parsed = EventSchema.parse({ customerId: 'c_42', name: 'cart.updated' });
    expect(parsed).toEqual({
      customerId: 'c_42',
      name: 'cart.updated',
      category: 'customer_action',
      properties: {},
    });
  });

  it('accepts event names as tracking tools send them (event-name.schema.spec.ts has the rule)', () => {
    expect(EventSchema.parse({ customerId: 'c_42', name: 'Order Completed' }).name).toBe('Order Completed');
  });

  it('rejects an event name with a control character and names the field', () => {
    const result = EventSchema.safeParse({ customerId: 'c_42', name: 'Cart\nUpdated' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['name']);
  });

  it('rejects an occurredAt without an offset', () => {
    const result = EventSchema.safeParse({ customerId: 'c', name: 'a', occurredAt: '2026-11-24T10:00:00' });
    expect(result.error?.issues[0]?.path).toEqual(['occurredAt']);
  });

  it('rejects properties nested deeper than 5 levels', () => {
    const deep = { a: { b: { c: { d: { e: { f: 1 } } } } } };
    const result = EventSchema.safeParse({ customerId: 'c', name: 'a', properties: deep });
    expect(result.error?.issues[0]?.message).toMatch(/at most 5 levels/);
  });

  it('rejects unknown top-level fields', () => {
    const result = EventSchema.safeParse({ customerId: 'c', name: 'a', customer: 'x' });
    expect(result.success).toBe(false);
  });
});
