import { createEngine } from './engine';
import { ev, HOUR, MIN, run, trig } from './engine.fixtures';
import { triggerJsonSchema } from './json-schema';
import { parseTriggerFiles } from './load-dir';
import { responseEventNames, triggerEventNames } from './trigger-set';
import { validateTrigger } from './validate';

// Event names as tracking tools send them (Segment's "Order Completed"), matched exactly.
describe('event names with spaces, capitals and Unicode', () => {
  const orderCompleted = {
    id: 'thank-you',
    version: 1,
    pattern: { kind: 'event', name: 'Order Completed' },
    response: {
      channels: { order: ['email'] },
      template: 'thank-you',
      exitOn: [{ kind: 'event', name: 'Unsubscribed 🚫' }],
      conversion: { event: { kind: 'event', name: 'Commande passée' }, window: '7d' },
    },
  };

  it('validate a trigger naming them in its pattern, exit rules and conversion goal', () => {
    const r = validateTrigger(orderCompleted);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(triggerEventNames([r.trigger])).toEqual(['Order Completed']);
    expect(responseEventNames([r.trigger]).sort()).toEqual(['Commande passée', 'Unsubscribed 🚫'].sort());
  });

  it('load from a trigger folder without an error (the worker starts)', () => {
    const dir = parseTriggerFiles(
      { 'thank-you.json': JSON.stringify(orderCompleted) },
      { 'thank-you': 'Thanks!' },
    );
    expect(dir.errors).toEqual([]);
    expect(dir.triggers.map((t) => t.id)).toEqual(['thank-you']);
  });

  it('match an event of exactly that name, not one differing in case or spacing', () => {
    const t = trig({ pattern: { kind: 'event', name: 'Order Completed' } });
    expect(
      run(
        [t],
        [
          ev('e1', 'order completed', 1),
          ev('e2', 'Order Completed', 2),
          ev('e3', 'ORDER COMPLETED', 3),
          ev('e4', 'Order  Completed', 4),
          ev('e5', 'Order Completed', 5),
        ],
      ),
    ).toEqual(['t e2@2', 't e5@5']);
  });

  it('reach the engine whole up to 200 characters, emoji included (400 UTF-16 units)', () => {
    const longest = '🚫'.repeat(200);
    const t = trig({ pattern: { kind: 'event', name: longest } });
    expect(run([t], [ev('e1', longest, 1)])).toEqual(['t e1@1']);
    const out = createEngine([t]).ingest(ev('e2', `${longest}x`, 2));
    expect(out).toEqual([expect.objectContaining({ type: 'rejected', eventId: 'e2' })]);
  });

  it('work in count and seq atoms, with Unicode names on both sides', () => {
    const count = trig({
      id: 'views',
      pattern: {
        kind: 'count',
        event: { kind: 'event', name: 'Product Viewed' },
        atLeast: 2,
        within: '1h',
      },
    });
    const seq = trig({
      id: 'basket',
      pattern: {
        kind: 'seq',
        steps: [
          { kind: 'step', node: { kind: 'event', name: '注文完了' } },
          { kind: 'step', node: { kind: 'event', name: 'Commande passée' } },
        ],
        within: '1h',
      },
    });
    expect(
      run(
        [count, seq],
        [
          ev('v1', 'Product Viewed', 1 * MIN),
          ev('v2', 'product viewed', 2 * MIN),
          ev('o1', '注文完了', 3 * MIN),
          ev('v3', 'Product Viewed', 4 * MIN),
          // Decomposed é (NFD) is a different name: matching is exact, never normalized.
          ev('c1', 'Commande passe\u0301e', 5 * MIN),
          ev('c2', 'Commande passée', 6 * MIN),
        ],
        undefined,
        HOUR,
      ),
    ).toEqual([`views v1,v3@${4 * MIN}`, `basket o1,c2@${6 * MIN}`]);
  });

  it('an engine with a lowercase trigger still matches the old names', () => {
    const engine = createEngine([trig({ pattern: { kind: 'event', name: 'cart.updated' } })]);
    expect(engine.ingest(ev('e1', 'cart.updated', 1)).map((o) => o.type)).toEqual(['match']);
  });

  it.each([
    [{ kind: 'event', name: ' Order Completed' }, 'pattern.name', /must not start or end with whitespace/],
    [{ kind: 'event', name: 'Order\tCompleted' }, 'pattern.name', /control characters.*U\+0009/],
    [{ kind: 'event', name: 'x'.repeat(201) }, 'pattern.name', /at most 200 characters/],
    [{ kind: 'event' }, 'pattern.name', /must be an event name/],
  ])('refuse a bad name with its path and the fix: %j', (pattern, path, message) => {
    const r = validateTrigger({ id: 't', version: 1, pattern });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([{ path, message: expect.stringMatching(message) as string }]);
  });

  it('refuse a bad exit rule or conversion goal name at its own path', () => {
    const r = validateTrigger({
      ...orderCompleted,
      response: {
        ...orderCompleted.response,
        exitOn: [{ kind: 'event', name: '' }],
        conversion: { event: { kind: 'event', name: 'Paid\n' }, window: '7d' },
      },
    });
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toEqual([
      'response.exitOn[0].name',
      'response.conversion.event.name',
    ]);
  });

  it('are described in the JSON Schema editors load', () => {
    type Atom = { properties: { name: { pattern: string; maxLength: number } } };
    const schema = triggerJsonSchema() as { properties: { pattern: { oneOf: Atom[] } } };
    const atom = schema.properties.pattern.oneOf[0] as Atom;
    const re = new RegExp(atom.properties.name.pattern);
    expect(['Order Completed', 'cart.updated', '注文完了'].map((n) => re.test(n))).toEqual([
      true,
      true,
      true,
    ]);
    expect([' Order Completed', 'a\tb', ''].map((n) => re.test(n))).toEqual([false, false, false]);
    expect(atom.properties.name.maxLength).toBe(200);
  });
});
