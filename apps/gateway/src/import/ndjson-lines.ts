/** One physical line of an NDJSON body: its 1-based number and its text (or why it was dropped). */
export type NdjsonLine =
  { lineNo: number; text: string; tooLong?: false } | { lineNo: number; tooLong: true };

const NEWLINE = 0x0a;

/**
 * Splits a byte stream into lines without ever holding more than `maxLineBytes` of one line:
 * a longer line is dropped (reported as `tooLong`) instead of growing a buffer without bound,
 * which readline would do. Empty lines (a trailing newline, blank separators) are skipped but
 * still counted, so line numbers match what the sender's editor shows.
 */
export async function* ndjsonLines(
  source: AsyncIterable<Buffer | string>,
  maxLineBytes: number,
): AsyncGenerator<NdjsonLine> {
  let parts: Buffer[] = [];
  let size = 0;
  let overflow = false;
  let lineNo = 0;
  const finish = (): NdjsonLine | null => {
    lineNo += 1;
    const line: NdjsonLine | null = overflow
      ? { lineNo, tooLong: true }
      : size === 0
        ? null
        : { lineNo, text: Buffer.concat(parts, size).toString('utf8') };
    parts = [];
    size = 0;
    overflow = false;
    return line;
  };
  for await (const raw of source) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    let start = 0;
    while (start < chunk.length) {
      const end = chunk.indexOf(NEWLINE, start);
      const piece = chunk.subarray(start, end === -1 ? chunk.length : end);
      if (!overflow && size + piece.length > maxLineBytes) overflow = true;
      if (!overflow && piece.length > 0) {
        parts.push(piece);
        size += piece.length;
      }
      if (end === -1) break;
      const line = finish();
      if (line && (line.tooLong || line.text.trim() !== '')) yield line;
      start = end + 1;
    }
  }
  if (size > 0 || overflow) {
    const line = finish();
    if (line && (line.tooLong || line.text.trim() !== '')) yield line;
  }
}
