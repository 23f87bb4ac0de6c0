import { segmentAnonymousCustomer, segmentLink, withLinkedUser } from './segment-identity';
import { SegmentMessageSchema } from './segment.schema';

const parse = (m: unknown) => SegmentMessageSchema.parse(m);

describe('Segment identity links', () => {
  it('identify or track with both ids links anon:<anonymousId> to the userId', () => {
    const both = parse({ userId: 'u1', anonymousId: 'a1', event: 'x' });
    expect(segmentLink(both, 'identify')).toEqual({ anonymousId: 'anon:a1', customerId: 'u1' });
    expect(segmentLink(both, 'track')).toEqual({ anonymousId: 'anon:a1', customerId: 'u1' });
    expect(segmentLink(parse({ userId: 7, anonymousId: 8 }), 'page')).toEqual({
      anonymousId: 'anon:8',
      customerId: '7',
    });
  });

  it('one id alone links nothing', () => {
    expect(segmentLink(parse({ userId: 'u1' }), 'identify')).toBeNull();
    expect(segmentLink(parse({ anonymousId: 'a1' }), 'identify')).toBeNull();
  });

  it('alias links anon:<previousId> to the userId, whatever its anonymousId', () => {
    const alias = parse({ userId: 'u1', previousId: 'p1', anonymousId: 'a1' });
    expect(segmentLink(alias, 'alias')).toEqual({ anonymousId: 'anon:p1', customerId: 'u1' });
    expect(segmentLink(parse({ userId: 'u1', previousId: 'p1' }), 'alias')).toEqual({
      anonymousId: 'anon:p1',
      customerId: 'u1',
    });
  });

  it('a userId that is itself anon:<anonymousId> links nothing', () => {
    expect(segmentLink(parse({ userId: 'anon:a1', anonymousId: 'a1' }), 'identify')).toBeNull();
  });

  it('an anonymous-only message takes the linked userId; others are left alone', () => {
    const linked = new Map([['anon:a1', 'u1']]);
    const anon = parse({ anonymousId: 'a1', event: 'x' });
    expect(segmentAnonymousCustomer(anon)).toBe('anon:a1');
    expect(withLinkedUser(anon, linked)).toEqual({ ...anon, userId: 'u1' });
    const other = parse({ anonymousId: 'a2', event: 'x' });
    expect(withLinkedUser(other, linked)).toBe(other);
    const known = parse({ userId: 'u2', anonymousId: 'a1', event: 'x' });
    expect(segmentAnonymousCustomer(known)).toBeNull();
    expect(withLinkedUser(known, linked)).toBe(known);
  });
});
