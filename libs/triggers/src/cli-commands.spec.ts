import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTriggerDir } from './load-dir';
import { parseEventsJsonl, parseTime, runCheck, runReplay } from './cli-commands';
import { parseTriggerFiles } from './load-dir';
import { TriggerSchema } from './trigger.schema';

const EXAMPLES = join(__dirname, '..', 'examples');

describe('check', () => {
  it('accepts the shipped example set (exit 0)', () => {
    const r = runCheck(EXAMPLES);
    expect(r.code).toBe(0);
    expect(r.stdout[0]).toMatch(/^ok: 5 trigger\(s\)/);
  });

  it('reports every error with its file and JSON path', () => {
    const r = parseTriggerFiles(
      {
        'a.json': JSON.stringify({
          id: 'a',
          version: 1,
          pattern: {
            kind: 'seq',
            steps: [
              { kind: 'step', node: { kind: 'event', name: 'x' } },
              { kind: 'absent', event: { kind: 'event', name: 'y' } },
            ],
          },
        }),
        'b.json': '{ not json',
        'c.json': JSON.stringify({
          id: 'c',
          version: 1,
          pattern: { kind: 'event', name: 'x' },
          response: { channels: { order: ['email'] }, template: 'missing' },
        }),
        'd.json': JSON.stringify({ id: 'c', version: 2, pattern: { kind: 'event', name: 'x' } }),
        'policy.json': JSON.stringify({ quietHours: { start: '25:00', end: '08:00' } }),
      },
      {},
    );
    expect(r.errors.map((e) => `${e.file}|${e.path}`)).toEqual([
      'a.json|pattern.steps[1].for',
      'b.json|',
      'policy.json|quietHours.start',
      'c.json|response.template',
      'd.json|id',
    ]);
    expect(r.policy.minGap).toBe('4h');
  });
});

describe('replay', () => {
  const cart = TriggerSchema.parse({
    id: 'abandoned-cart',
    version: 1,
    pattern: {
      kind: 'seq',
      steps: [
        { kind: 'step', node: { kind: 'event', name: 'cart.updated', as: 'cart' } },
        { kind: 'absent', event: { kind: 'event', name: 'order.completed' }, for: 100000 },
      ],
    },
  });

  it('parses epoch ms and ISO-8601 times', () => {
    expect(parseTime(5)).toBe(5);
    expect(parseTime('1970-01-01T00:00:01Z')).toBe(1000);
    expect(parseTime('soon')).toBeNull();
  });

  it('reports malformed event lines with their number', () => {
    expect(
      parseEventsJsonl('{"customerId":"c","id":"e","name":"a","ts":1}\n{"id":1}\nnope\n').errors,
    ).toEqual([
      expect.stringMatching(/^line 2: "customerId"/),
      expect.stringMatching(/^line 3: not valid JSON/),
    ]);
  });

  it('takes event names as the API does, and says why it refuses one', () => {
    const lines = [
      { customerId: 'c', id: 'e1', name: 'Order Completed', ts: 1 },
      { customerId: 'c', id: 'e2', name: 'Order Completed ', ts: 2 },
    ];
    const parsed = parseEventsJsonl(lines.map((l) => JSON.stringify(l)).join('\n'));
    expect(parsed.events.map((e) => e.event.name)).toEqual(['Order Completed']);
    expect(parsed.errors).toEqual([
      'line 2: "name" must not start or end with whitespace (names match exactly): send "Order Completed"',
    ]);
  });

  it('replays each customer independently with the spec output format, timers firing before later events', () => {
    const { events } = parseEventsJsonl(
      [
        { customerId: 'c1', id: 'e1', name: 'cart.updated', ts: 20000, receivedAt: 20000 },
        { customerId: 'c2', id: 'e1', name: 'cart.updated', ts: 0, receivedAt: 0 },
        { customerId: 'c2', id: 'e2', name: 'order.completed', ts: 50000, receivedAt: 50000 },
        { customerId: 'c1', id: 'e9', name: 'page.viewed', ts: 125000, receivedAt: 125000 },
        { customerId: 'c1', id: 'e9', name: 'page.viewed', ts: 125000, receivedAt: 126000 },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n'),
    );
    const lines = runReplay([cart], events);
    expect(lines).toEqual([
      {
        type: 'match',
        customerId: 'c1',
        triggerId: 'abandoned-cart',
        version: 1,
        key: '',
        matchId: expect.stringMatching(/^[0-9a-f]{32}$/),
        kind: 'absence',
        matchedAt: 120000,
        emittedAt: 120000,
        bindings: { cart: ['e1'] },
        status: 'fired',
      },
      { type: 'duplicate', customerId: 'c1', eventId: 'e9' },
    ]);
    expect(Object.keys(lines[0] ?? {})).toEqual([
      'type',
      'customerId',
      'triggerId',
      'version',
      'key',
      'matchId',
      'kind',
      'matchedAt',
      'emittedAt',
      'bindings',
      'status',
    ]);
  });

  it('prints each eviction as its own line, with what was lost', () => {
    const perCart = TriggerSchema.parse({
      ...cart,
      correlate: { by: ['properties.cart'] },
      limits: { maxKeys: 1 },
    });
    const { events } = parseEventsJsonl(
      [
        { customerId: 'c1', id: 'e1', name: 'cart.updated', ts: 0, properties: { cart: 'a' } },
        { customerId: 'c1', id: 'e2', name: 'cart.updated', ts: 10, properties: { cart: 'b' } },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n'),
    );
    expect(runReplay([perCart], events)).toEqual([
      {
        type: 'evicted',
        customerId: 'c1',
        triggerId: 'abandoned-cart',
        key: 'a',
        what: 'key',
        partials: 1,
        eventIds: ['e1'],
        reentry: false,
        inactivity: false,
        emittedAt: 10,
      },
    ]);
  });

  it('advances through wakeups up to --until after the last event', () => {
    const { events } = parseEventsJsonl(
      JSON.stringify({ customerId: 'c1', id: 'e1', name: 'cart.updated', ts: 0, receivedAt: 0 }),
    );
    expect(runReplay([cart], events)).toEqual([]);
    expect(runReplay([cart], events, undefined, 100000)).toMatchObject([
      { matchedAt: 100000, emittedAt: 100000 },
    ]);
  });
});

describe('replay of the shipped sample against the example set', () => {
  it('gives the documented matches, in emission order per customer', () => {
    const dir = loadTriggerDir(EXAMPLES);
    expect(dir.errors).toEqual([]);
    expect(Object.keys(dir.templates).sort()).toEqual([
      'abandoned-cart',
      'high-intent',
      'pricing-interest',
      'welcome-product',
      'winback',
    ]);
    const { events, errors } = parseEventsJsonl(
      readFileSync(join(EXAMPLES, 'events', 'sample.jsonl'), 'utf8'),
    );
    expect(errors).toEqual([]);
    const lines = runReplay(dir.triggers, events, undefined, parseTime('2026-03-03T00:00:00Z') ?? 0);
    expect(
      lines.map((l) => [l.customerId, l.type, l.triggerId ?? l.eventId, l.key, l.kind, l.bindings]),
    ).toEqual([
      ['ana', 'match', 'abandoned-cart', 'cart-1', 'absence', { cart: ['a1'] }],
      ['ana', 'match', 'pricing-interest', '', 'event', { pricing: ['a2'], demo: ['a5'] }],
      ['ben', 'match', 'browse-then-signup', '', 'event', { view: ['b1'], signup: ['b2'] }],
      ['ben', 'duplicate', 'b2', undefined, undefined, undefined],
    ]);
    expect(lines[0]).toMatchObject({
      matchedAt: Date.parse('2026-03-02T11:00:01Z'),
      emittedAt: Date.parse('2026-03-02T11:00:01Z'),
    });
  });
});
