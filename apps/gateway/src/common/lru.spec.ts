import { LruSet } from './lru';

describe('LruSet', () => {
  it('forgets the least recently used key beyond capacity', () => {
    const lru = new LruSet(2);
    lru.add('a');
    lru.add('b');
    expect(lru.has('a')).toBe(true); // touches a: b is now the oldest
    lru.add('c');
    expect([lru.has('a'), lru.has('b'), lru.has('c'), lru.size]).toEqual([true, false, true, 2]);
  });

  it('remembers nothing with capacity 0', () => {
    const lru = new LruSet(0);
    lru.add('a');
    expect(lru.has('a')).toBe(false);
  });
});
