import { LinkedCache } from './linked-cache';

describe('LinkedCache', () => {
  it('returns links and forgets the least recently used first', () => {
    const cache = new LinkedCache(2);
    cache.set('anon:a', 'u1');
    cache.set('anon:b', 'u2');
    expect(cache.get('anon:a')).toBe('u1'); // a is now the most recent
    cache.set('anon:c', 'u3');
    expect(cache.get('anon:b')).toBeUndefined();
    expect(cache.get('anon:a')).toBe('u1');
    expect(cache.get('anon:c')).toBe('u3');
  });

  it('keeps nothing at capacity 0', () => {
    const cache = new LinkedCache(0);
    cache.set('anon:a', 'u1');
    expect(cache.get('anon:a')).toBeUndefined();
  });
});
