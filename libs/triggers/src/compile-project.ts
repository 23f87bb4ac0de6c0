// Per-event precomputation (the hot path): predicate leaves evaluated once per event into bits,
// value paths projected once into bounded, JSON-safe values.
import type { LeafPred, NameInfo, V } from './compile-types';
import { fnv1a64 } from './hash';
import { evaluateLeaf, readSegments } from './predicate';

/**
 * Whether `s` has `min`..`max` characters, each from `lowest` to `~` except the double quote and
 * the backslash (a loop: no regex run per event value).
 */
export function isSafeAscii(s: string, lowest: number, min: number, max: number): boolean {
  if (s.length < min || s.length > max) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < lowest || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

/** Projects a raw value so it is bounded and JSON-safe while keeping equality semantics. */
export function encodeValue(raw: unknown): V {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'number' || typeof raw === 'boolean') return raw;
  if (typeof raw === 'string')
    return isSafeAscii(raw, 0x20, 0, 64) && raw.charCodeAt(0) !== 35 ? raw : `#${fnv1a64(raw)}`;
  return '#o';
}

/** Precomputed per-event data: leaf bits ('0'/'1') and projected values for the name. */
export function projectEvent(
  info: NameInfo,
  ev: { name: string; properties: Record<string, unknown> },
): { bits: string; vals: V[] } {
  let bits = '';
  for (let i = 0; i < info.leaves.length; i++)
    bits += evaluateLeaf(info.leaves[i] as LeafPred, readSegments(ev, info.leafSegs[i] as string[]))
      ? '1'
      : '0';
  const vals: V[] = [];
  for (const segs of info.vpSegs) vals.push(encodeValue(readSegments(ev, segs)));
  return { bits, vals };
}
