// Pure hashes for the sandbox (no node:crypto): FNV-1a 64 for compact dedupe/value tokens,
// SHA-256 for matchId, the idempotency key of everything done downstream. Both run once or
// more per event, so they work in reused module-level typed arrays (allocation-free; safe
// because they are synchronous), SHA-256 can take its text in pieces (no string built), and
// hex is formatted through a character table, not toString(16).

const HEX = '0123456789abcdef';
/** Per word count, a reused array of that many times 8 character codes. */
const hexCodesFor: number[][] = [];

/** Lowercase hex of the 32-bit words `w[0..n)`, in one string. */
function wordsHex(w: ArrayLike<number>, n: number): string {
  let hexCodes = hexCodesFor[n];
  if (hexCodes === undefined) {
    hexCodes = new Array<number>(n * 8).fill(0);
    hexCodesFor[n] = hexCodes;
  }
  for (let i = 0; i < n; i++) {
    const x = w[i] as number;
    for (let k = 0; k < 8; k++) hexCodes[i * 8 + k] = HEX.charCodeAt((x >>> (28 - 4 * k)) & 15);
  }
  return String.fromCharCode.apply(null, hexCodes);
}

/** Grows `buf` (keeping its first `keep` bytes) to hold at least `need` bytes. */
function ensure(buf: Uint8Array<ArrayBuffer>, need: number, keep: number): Uint8Array<ArrayBuffer> {
  if (buf.length >= need) return buf;
  const grown = new Uint8Array(need * 2);
  grown.set(buf.subarray(0, keep));
  return grown;
}

/** Writes the UTF-8 bytes of `s` (lone surrogates as U+FFFD) into `b` from `n` (room is ensured by the caller); returns the end. */
function utf8Write(b: Uint8Array, s: string, n: number): number {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) b[n++] = c;
    else if (c < 0x800) {
      b[n++] = 0xc0 | (c >> 6);
      b[n++] = 0x80 | (c & 63);
    } else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length && isLowSurrogate(s.charCodeAt(i + 1))) {
      c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
      b[n++] = 0xf0 | (c >> 18);
      b[n++] = 0x80 | ((c >> 12) & 63);
      b[n++] = 0x80 | ((c >> 6) & 63);
      b[n++] = 0x80 | (c & 63);
    } else if (c >= 0xd800 && c < 0xe000) {
      b[n++] = 0xef;
      b[n++] = 0xbf;
      b[n++] = 0xbd;
    } else {
      b[n++] = 0xe0 | (c >> 12);
      b[n++] = 0x80 | ((c >> 6) & 63);
      b[n++] = 0x80 | (c & 63);
    }
  }
  return n;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c < 0xe000;
}

let fnvBytes = new Uint8Array(256);

/** The two 32-bit halves of the last `fnv1a64Pair` (high first). */
export const fnvPair = new Uint32Array(2);

/** FNV-1a 64-bit over the UTF-8 bytes of `s`, into `fnvPair` (no string built). */
export function fnv1a64Pair(s: string): void {
  // ASCII (every valid event id) needs no UTF-8 encoding pass.
  let ascii = true;
  for (let i = 0; i < s.length; i++)
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  if (!ascii) fnvBytes = ensure(fnvBytes, s.length * 3, 0);
  const n = ascii ? s.length : utf8Write(fnvBytes, s, 0);
  // The hash as four 16-bit limbs (h3 high): every product and carry stays a small integer.
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (let i = 0; i < n; i++) {
    h0 ^= ascii ? s.charCodeAt(i) : (fnvBytes[i] as number);
    // h * 0x100000001b3 = h * 0x1b3 + (h << 40), modulo 2^64.
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3 + (t0 >>> 16);
    const t2 = h2 * 0x1b3 + (h0 << 8) + (t1 >>> 16);
    const t3 = h3 * 0x1b3 + (h1 << 8) + (t2 >>> 16);
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  }
  fnvPair[0] = (h3 << 16) | h2;
  fnvPair[1] = (h1 << 16) | h0;
}

const pair = new Uint32Array(2);

/** 16 lowercase hex digits of a 64-bit value given as two 32-bit halves. */
export function pairHex(hi: number, lo: number): string {
  pair[0] = hi;
  pair[1] = lo;
  return wordsHex(pair, 2);
}

/** FNV-1a 64-bit over the UTF-8 bytes of `s`, as 16 lowercase hex digits. */
export function fnv1a64(s: string): string {
  fnv1a64Pair(s);
  return wordsHex(fnvPair, 2);
}

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const H0 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
const W = new Int32Array(64);
const H = new Int32Array(8);

/** Appends the SHA-256 padding after `len` message bytes; returns the padded length. */
function pad(len: number): number {
  const b = shaBytes;
  let total = len + 9;
  total += (64 - (total % 64)) % 64;
  b[len] = 0x80;
  b.fill(0, len + 1, total - 8);
  const bitLen = len * 8;
  const hiLen = Math.floor(bitLen / 0x100000000);
  for (let i = 0; i < 4; i++) {
    b[total - 8 + i] = (hiLen >>> (24 - 8 * i)) & 255;
    b[total - 4 + i] = (bitLen >>> (24 - 8 * i)) & 255;
  }
  return total;
}

/** One 64-byte block at `off` into the running state H. */
function block(off: number): void {
  const b = shaBytes;
  const w = W;
  for (let i = 0; i < 16; i++) {
    const j = off + i * 4;
    w[i] =
      ((b[j] as number) << 24) |
      ((b[j + 1] as number) << 16) |
      ((b[j + 2] as number) << 8) |
      (b[j + 3] as number);
  }
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15] as number;
    const y = w[i - 2] as number;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = ((w[i - 16] as number) + s0 + (w[i - 7] as number) + s1) | 0;
  }
  let a = H[0] as number;
  let bb = H[1] as number;
  let c = H[2] as number;
  let d = H[3] as number;
  let e = H[4] as number;
  let f = H[5] as number;
  let g = H[6] as number;
  let hh = H[7] as number;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (hh + S1 + ch + (K[i] as number) + (w[i] as number)) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & bb) ^ (a & c) ^ (bb & c);
    const t2 = (S0 + maj) | 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = bb;
    bb = a;
    a = (t1 + t2) | 0;
  }
  H[0] = (H[0] as number) + a;
  H[1] = (H[1] as number) + bb;
  H[2] = (H[2] as number) + c;
  H[3] = (H[3] as number) + d;
  H[4] = (H[4] as number) + e;
  H[5] = (H[5] as number) + f;
  H[6] = (H[6] as number) + g;
  H[7] = (H[7] as number) + hh;
}

let shaBytes = new Uint8Array(512);
let shaFill = 0;

/** Starts a SHA-256 whose text is given in pieces by `sha256Append`, ended by `sha256End`. */
export function sha256Begin(): void {
  shaFill = 0;
}

/** Appends the UTF-8 bytes of `s` to the text of the running SHA-256. */
export function sha256Append(s: string): void {
  // Room for the worst case (3 bytes per UTF-16 unit) and the padding.
  shaBytes = ensure(shaBytes, shaFill + s.length * 3 + 72, shaFill);
  shaFill = utf8Write(shaBytes, s, shaFill);
}

/**
 * Ends the running SHA-256: lowercase hex of its digest.
 * @param words how many leading 32-bit words of the digest to return (8 = the full 64 digits)
 */
export function sha256End(words = 8): string {
  shaBytes = ensure(shaBytes, shaFill + 72, shaFill);
  const total = pad(shaFill);
  H.set(H0);
  for (let off = 0; off < total; off += 64) block(off);
  return wordsHex(H, words);
}

/** SHA-256 over the UTF-8 bytes of `s`, as lowercase hex digits (`words` as for `sha256End`). */
export function sha256Hex(s: string, words = 8): string {
  sha256Begin();
  sha256Append(s);
  return sha256End(words);
}
