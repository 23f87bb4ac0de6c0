import { TriggerError } from './errors';

/** 180 days: the longest duration the language accepts (docs/triggers.md §2.1). */
export const MAX_DURATION_MS = 180 * 24 * 3_600_000;

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const DURATION_RE = /^(\d{1,15})(ms|s|m|h|d|w)$/;

/** A duration as written: integer milliseconds or `<n>ms|s|m|h|d|w` ("90m", "2h", "7d"). */
export type Duration = number | string;

/**
 * Parses a duration without validating its range beyond "a non-negative integer number of
 * milliseconds"; returns `null` when the text is not a duration at all.
 */
export function tryParseDuration(d: unknown): number | null {
  if (typeof d === 'number') return Number.isSafeInteger(d) && d >= 0 ? d : null;
  if (typeof d !== 'string') return null;
  const m = DURATION_RE.exec(d);
  if (!m) return null;
  const ms = Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  return Number.isSafeInteger(ms) ? ms : null;
}

/**
 * Converts a duration (`7200000`, `"2h"`, `"90m"`) to integer milliseconds.
 * @throws TriggerError `INVALID_DURATION` when it is not a duration or exceeds 180 days.
 */
export function parseDuration(d: Duration): number {
  const ms = tryParseDuration(d);
  if (ms === null) {
    throw new TriggerError(
      'INVALID_DURATION',
      `"${String(d)}" is not a duration: write integer milliseconds or a number followed by ms, s, m, h, d or w (for example "90m" or "2h").`,
    );
  }
  if (ms > MAX_DURATION_MS) {
    throw new TriggerError(
      'INVALID_DURATION',
      `"${String(d)}" is longer than the maximum of 180 days; shorten it.`,
    );
  }
  return ms;
}
