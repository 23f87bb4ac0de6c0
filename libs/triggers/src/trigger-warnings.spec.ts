import { parseTriggerFiles } from './load-dir';
import { predWarnings } from './pred-warnings';
import type { Pred } from './pred.schema';
import { templateWarnings } from './template-warnings';
import { TriggerSchema } from './trigger.schema';
import { eventNamePaths, triggerWarnings } from './trigger-warnings';

const leaf = (path: string, op: string, value: unknown): Pred => ({ path, op, value }) as Pred;
const and = (...args: Pred[]): Pred => ({ op: 'and', args });
const messages = (p: Pred) => predWarnings(p, ['where']).map((w) => w.message);

describe('predicates that can never be true', () => {
  it('flags contradictory bounds and equalities on one path, at the predicate', () => {
    expect(
      predWarnings(and(leaf('properties.n', 'gt', 10), leaf('properties.n', 'lt', 5)), ['where']),
    ).toEqual([
      {
        path: ['where'],
        message: 'can never be true: on "properties.n" its bounds (> 10 and < 5) leave no value',
      },
    ]);
    expect(messages(and(leaf('properties.n', 'gte', 5), leaf('properties.n', 'lt', 5)))).toHaveLength(1);
    expect(messages(and(leaf('properties.c', 'eq', 'a'), leaf('properties.c', 'eq', 'b')))).toEqual([
      'can never be true: on "properties.c" it must equal "a" and "b" at once',
    ]);
    expect(messages(and(leaf('properties.n', 'eq', 3), leaf('properties.n', 'gt', 5)))).toHaveLength(1);
  });

  it('leaves satisfiable or disjunctive predicates alone', () => {
    expect(messages(and(leaf('properties.n', 'gte', 5), leaf('properties.n', 'lte', 5)))).toEqual([]);
    expect(messages(and(leaf('properties.a', 'gt', 10), leaf('properties.b', 'lt', 5)))).toEqual([]);
    expect(
      messages({ op: 'or', args: [leaf('properties.n', 'gt', 10), leaf('properties.n', 'lt', 5)] }),
    ).toEqual([]);
  });

  it('flags a comparison with the wrong type for a typed profile field, not for attributes', () => {
    expect(messages(leaf('profile.consent.email', 'eq', 'yes'))).toEqual([
      'can never be true: "profile.consent.email" holds a boolean, so comparing it with "yes" is never true (values are never coerced)',
    ]);
    expect(messages(leaf('profile.email', 'gt', 3))).toHaveLength(1);
    expect(messages(leaf('profile.consent.email', 'eq', true))).toEqual([]);
    expect(messages(leaf('profile.attributes.plan', 'eq', 7))).toEqual([]);
  });

  it('walks pattern atoms, exit rules and escalate.when with their JSON paths', () => {
    const t = TriggerSchema.parse({
      id: 'x',
      version: 1,
      pattern: {
        kind: 'all',
        within: '1h',
        of: [
          {
            kind: 'event',
            name: 'a',
            where: and(leaf('properties.n', 'gt', 2), leaf('properties.n', 'lt', 1)),
          },
          { kind: 'event', name: 'b' },
        ],
      },
      response: {
        channels: { order: ['email'] },
        template: 'x',
        exitOn: [{ kind: 'event', name: 'c' }],
        escalate: { when: leaf('profile.consent.sms', 'eq', 1), to: 's', sla: '1h' },
      },
    });
    expect(triggerWarnings(t).map((w) => w.path)).toEqual([
      ['pattern', 'of', 0, 'where'],
      ['response', 'escalate', 'when'],
    ]);
    expect(eventNamePaths(t).map((m) => m.name)).toEqual(['a', 'b', 'c']);
  });
});

describe('template variables that resolve to nothing', () => {
  const trigger = TriggerSchema.parse({
    id: 't',
    version: 1,
    pattern: {
      kind: 'seq',
      steps: [
        { kind: 'step', node: { kind: 'event', name: 'cart.updated', as: 'cart' } },
        { kind: 'absent', event: { kind: 'event', name: 'order.completed' }, for: '2h' },
      ],
    },
    response: { channels: { order: ['email'] }, template: 't' },
  });

  it('accepts the roots the worker renders with and the bound names', () => {
    const source =
      '{{ profile.attributes.first_name | default: "x" }} {{ profile.email }} {{ cart.properties.cart_id }} {% for e in events.cart %}{{ e.id }}{% endfor %} {{ trigger.id }} {{ match.id }} {{ customer.id }}';
    expect(templateWarnings(trigger, source)).toEqual([]);
  });

  it('names each variable that resolves to nothing', () => {
    const w = templateWarnings(
      trigger,
      '{{ view.properties.sku }} {{ profile.plan }} {{ cart.sku }} {{ bindings.view }}',
    );
    expect(w).toEqual([
      expect.stringContaining(
        '"view.properties.sku" resolves to nothing: "view" is neither a bound name of the pattern (cart)',
      ),
      expect.stringContaining('"profile.plan" resolves to nothing: the profile has no field "plan"'),
      expect.stringContaining(
        '"cart.sku" resolves to nothing: a bound event has id, name, ts, receivedAt, properties',
      ),
      expect.stringContaining('"bindings.view" resolves to nothing'),
    ]);
  });

  it('is reported by the loader as a warning on response.template, never as an error', () => {
    const r = parseTriggerFiles({ 't.json': JSON.stringify(trigger) }, { t: 'Hi {{ profile.name }}' });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([
      {
        file: 't.json',
        path: 'response.template',
        message: expect.stringMatching(/^templates\/t\.liquid: "profile\.name" resolves to nothing/),
      },
    ]);
  });
});
