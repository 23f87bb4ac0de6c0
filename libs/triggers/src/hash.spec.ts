import { createHash } from 'node:crypto';
import { fnv1a64, sha256Hex } from './hash';

describe('hashes', () => {
  it('computes FNV-1a 64 known vectors', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
  });

  it('computes SHA-256 identical to node:crypto for ASCII, multi-byte and long inputs', () => {
    for (const s of [
      '',
      'abc',
      'é€😀 cart',
      'x'.repeat(1000),
      JSON.stringify(['t', 1, 'k', ['e1', 'e2'], null]),
    ]) {
      expect(sha256Hex(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
    }
  });
});
