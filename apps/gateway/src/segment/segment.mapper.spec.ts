import { mapSegmentMessage, segmentEventId, segmentOccurredAt } from './segment.mapper';
import { SegmentMessageSchema } from './segment.schema';

const parse = (m: unknown) => SegmentMessageSchema.parse(m);
const NOW = Date.parse('2026-12-01T12:00:00.000Z');

describe('Segment → Kairos mapping', () => {
  it('track: the event of that name; userId, else anon:<anonymousId>; numeric ids as strings', () => {
    expect(
      mapSegmentMessage(parse({ userId: 42, event: 'Order Completed', messageId: 'm1' }), 'track', NOW),
    ).toEqual({
      kind: 'event',
      event: {
        id: 'm1',
        customerId: '42',
        name: 'Order Completed',
        category: 'customer_action',
        source: 'segment',
        properties: {},
      },
    });
    const anon = mapSegmentMessage(parse({ anonymousId: 'a-1', event: 'X' }), 'track', NOW);
    expect(anon.kind === 'event' && anon.event.customerId).toBe('anon:a-1');
  });

  it('page and screen: "Page Viewed" / "Screen Viewed" with name and category in the properties', () => {
    const page = mapSegmentMessage(
      parse({ userId: 'u', name: 'Pricing', category: 'Docs', properties: { path: '/p' } }),
      'page',
      NOW,
    );
    expect(page).toMatchObject({
      kind: 'event',
      event: { name: 'Page Viewed', properties: { path: '/p', name: 'Pricing', category: 'Docs' } },
    });
    expect(mapSegmentMessage(parse({ userId: 'u', name: 'Home' }), 'screen', NOW)).toMatchObject({
      event: { name: 'Screen Viewed', properties: { name: 'Home' } },
    });
  });

  it('a messageId Kairos cannot store as an id becomes a stable hash (retries still dedupe)', () => {
    expect(segmentEventId('ok-1')).toBe('ok-1');
    const hashed = segmentEventId('has spaces/and slashes');
    expect(hashed).toMatch(/^seg:[0-9a-f]{40}$/);
    expect(segmentEventId('has spaces/and slashes')).toBe(hashed);
  });

  it('occurredAt: timestamp; else receivedAt − (sentAt − originalTimestamp); message sentAt before the batch one', () => {
    expect(segmentOccurredAt(parse({ userId: 'u', timestamp: '2026-01-01T00:00:00Z' }), NOW)).toBe(
      '2026-01-01T00:00:00.000Z',
    );
    const skewed = parse({ userId: 'u', originalTimestamp: '2000-01-01T00:00:00Z' });
    expect(segmentOccurredAt(skewed, NOW, '2000-01-01T00:01:00Z')).toBe('2026-12-01T11:59:00.000Z');
    expect(
      segmentOccurredAt({ ...skewed, sentAt: '2000-01-01T00:00:30Z' }, NOW, '2000-01-01T00:01:00Z'),
    ).toBe('2026-12-01T11:59:30.000Z');
    expect(segmentOccurredAt(skewed, NOW)).toBe('2000-01-01T00:00:00.000Z');
    expect(segmentOccurredAt(parse({ userId: 'u' }), NOW)).toBeUndefined();
  });

  it('identify: valid email/phone/timezone/locale become profile fields, the rest attributes', () => {
    const m = parse({
      userId: 'u',
      traits: { email: 'a@b.co', phone: '0612', plan: 'pro' },
      context: { timezone: 'Europe/Paris', locale: 'not a locale!', traits: { seats: 3 } },
    });
    expect(mapSegmentMessage(m, 'identify', NOW)).toEqual({
      kind: 'profile',
      customerId: 'u',
      patch: {
        fields: { email: 'a@b.co', timezone: 'Europe/Paris' },
        attributes: { phone: '0612', plan: 'pro', seats: 3 },
      },
    });
  });

  it('names the Segment field a sender must fix', () => {
    expect(mapSegmentMessage(parse({ userId: 'u', event: '' }), 'track', NOW)).toMatchObject({
      kind: 'invalid',
      errors: [{ path: 'event' }],
    });
    expect(mapSegmentMessage(parse({ userId: 'has space', event: 'X' }), 'track', NOW)).toMatchObject({
      errors: [{ path: 'userId' }],
    });
    expect(mapSegmentMessage(parse({ userId: 'u' }), 'group', NOW)).toMatchObject({
      errors: [{ path: 'groupId' }],
    });
    expect(SegmentMessageSchema.safeParse({ event: 'X' }).error?.issues[0]?.path).toEqual(['userId']);
  });
});
