import { findUnstorableText } from './storable-text';

describe('findUnstorableText', () => {
  it('finds NUL characters and unpaired surrogates in values and keys, wherever they are nested', () => {
    expect(findUnstorableText({ a: 'fine', b: [{ c: 'x\u0000y' }] })).toBe('b.0.c');
    expect(findUnstorableText({ p: { '\ud800': 1 } })).toBe('p.\ud800');
    expect(findUnstorableText('\udc00 alone')).toBe('(body)');
  });

  it('accepts ordinary unicode, emoji (paired surrogates) and escaped-looking text', () => {
    expect(
      findUnstorableText({ a: '👩‍👩‍👧‍👦 e\u0301 \ufeff \u202e', b: '\\u0000', c: [1, null, true] }),
    ).toBeNull();
  });
});
