import fc from 'fast-check';
import { EVENT_NAME_PATTERN, EventNameSchema, eventNameProblem } from './event-name.schema';
import { EventSchema } from './event.schema';

/** The first issue's message for a name, or null when the name is accepted. */
function refusal(name: unknown): string | null {
  const r = EventNameSchema.safeParse(name);
  return r.success ? null : (r.error.issues[0]?.message ?? '');
}

describe('EventNameSchema', () => {
  it.each([
    ['Segment spec names with spaces', 'Order Completed'],
    ['the lowercase names of the first contract', 'cart.updated'],
    ['every old character class', 'a-b_c.d:e0'],
    ['accented letters', 'Commande passée'],
    ['CJK', '注文完了'],
    ['emoji, including a ZWJ sequence', '🛒 Added 👩‍💻'],
    ['punctuation and symbols', 'Checkout Step (2/3) — €50+ "promo" #1 @home'],
    ['a single character', 'x'],
    ['200 ASCII characters', 'a'.repeat(200)],
    ['200 astral characters (400 UTF-16 units)', '😀'.repeat(200)],
    ['spaces inside, even several', 'Order  Completed'],
    ['a no-break space inside', 'Order\u00a0Completed'],
  ])('accepts %s', (_, name) => {
    expect(refusal(name)).toBeNull();
  });

  it('keeps the name exactly as sent: no case folding, trimming or normalization', () => {
    const nfd = 'Commande passe\u0301e';
    expect(EventNameSchema.parse('Order Completed')).toBe('Order Completed');
    expect(EventNameSchema.parse(nfd)).toBe(nfd);
    expect(EventNameSchema.parse(nfd)).not.toBe('Commande passée');
  });

  it.each([
    ['empty', '', /must not be empty/],
    ['201 characters', 'a'.repeat(201), /at most 200 characters: shorten it \(it has 201\)/],
    ['201 astral characters', '😀'.repeat(201), /at most 200 characters: shorten it \(it has 201\)/],
    ['a tab (C0)', 'Order\tCompleted', /control characters.*remove U\+0009 at character 6/],
    ['a newline (C0)', 'Order\nCompleted', /control characters.*remove U\+000A at character 6/],
    ['NUL', 'a\u0000', /control characters.*remove U\+0000 at character 2/],
    ['DEL', '\u007fa', /control characters.*remove U\+007F at character 1/],
    ['a C1 control (NEL)', 'a\u0085b', /control characters.*remove U\+0085 at character 2/],
    ['a line separator', 'a\u2028b', /line or paragraph separators: remove U\+2028/],
    ['a lone high surrogate', 'ab\ud800', /valid Unicode.*unpaired surrogate U\+D800 at character 3/],
    ['a lone low surrogate', '\udc00ab', /valid Unicode.*unpaired surrogate U\+DC00 at character 1/],
    ['reversed surrogates', '\ude00\ud83d', /unpaired surrogate U\+DE00 at character 1/],
    ['a leading space', ' Order Completed', /must not start or end with whitespace.*send "Order Completed"/],
    ['a trailing space', 'Order Completed ', /must not start or end with whitespace.*send "Order Completed"/],
    ['a trailing no-break space', 'Order\u00a0', /must not start or end with whitespace/],
    ['only spaces', '   ', /must not start or end with whitespace/],
    ['the volume report row', '(other)', /"\(other\)" is reserved.*choose another name/],
  ])('refuses %s, saying what to change', (_, name, message) => {
    expect(refusal(name)).toMatch(message);
  });

  it.each([undefined, null, 42, ['a']])('refuses %p with the shape a name must have', (value) => {
    expect(refusal(value)).toMatch(/must be an event name: a string of 1-200 characters/);
  });

  it('reports exactly one issue per bad name, on the name field of an event', () => {
    const r = EventSchema.safeParse({ customerId: 'c_42', name: ' Order Completed' });
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['name', 'must not start or end with whitespace (names match exactly): send "Order Completed"'],
    ]);
  });

  it('the pattern (JSON Schema, editors) and the explained check agree on every string', () => {
    const unit = fc.oneof(
      { arbitrary: fc.constantFrom('a', ' ', '\t', '\u0085', '\u2028', '\u00a0', '😀', 'é'), weight: 4 },
      { arbitrary: fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)), weight: 2 },
      { arbitrary: fc.constantFrom('\ud800', '\udc00'), weight: 1 },
    );
    const names = fc.oneof(
      fc.string({ unit, maxLength: 12 }),
      fc.tuple(fc.integer({ min: 195, max: 205 }), fc.constantFrom('a', '😀')).map(([n, c]) => c.repeat(n)),
    );
    fc.assert(
      fc.property(names, (name) => {
        expect(EVENT_NAME_PATTERN.test(name)).toBe(eventNameProblem(name) === null || name === '(other)');
        // The same source compiled with the `u` flag (as some editors do) means the same.
        expect(new RegExp(EVENT_NAME_PATTERN.source, 'u').test(name)).toBe(EVENT_NAME_PATTERN.test(name));
      }),
      { numRuns: 3000 },
    );
  });
});
