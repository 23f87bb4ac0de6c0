import { ndjsonLines, type NdjsonLine } from './ndjson-lines';

async function collect(chunks: string[], max = 16): Promise<NdjsonLine[]> {
  async function* source(): AsyncGenerator<Buffer> {
    for (const c of chunks) yield Buffer.from(c);
  }
  const out: NdjsonLine[] = [];
  for await (const line of ndjsonLines(source(), max)) out.push(line);
  return out;
}

describe('ndjsonLines', () => {
  it('joins lines split across chunks and numbers them as an editor does, blank lines skipped', async () => {
    expect(await collect(['{"a"', ':1}\n\n  \n{"b":2}', '\n{"c"', ':3}'])).toEqual([
      { lineNo: 1, text: '{"a":1}' },
      { lineNo: 4, text: '{"b":2}' },
      { lineNo: 5, text: '{"c":3}' },
    ]);
  });

  it('drops a line longer than the limit (without buffering it) and goes on with the next', async () => {
    expect(await collect(['{"x":"', 'a'.repeat(40), '"}\n{"ok":1}\n', 'b'.repeat(17)])).toEqual([
      { lineNo: 1, tooLong: true },
      { lineNo: 2, text: '{"ok":1}' },
      { lineNo: 3, tooLong: true },
    ]);
  });

  it('keeps multi-byte characters split across chunks intact', async () => {
    const bytes = Buffer.from('"é🚫"\n');
    async function* source(): AsyncGenerator<Buffer> {
      for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
    }
    const out: NdjsonLine[] = [];
    for await (const line of ndjsonLines(source(), 64)) out.push(line);
    expect(out).toEqual([{ lineNo: 1, text: '"é🚫"' }]);
  });
});
