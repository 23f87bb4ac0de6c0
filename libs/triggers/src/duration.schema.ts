import { z } from 'zod';
import { MAX_DURATION_MS, tryParseDuration } from './duration';

const DURATION_HINT =
  'must be a duration: integer milliseconds or a number followed by ms, s, m, h, d or w (for example "90m" or "2h")';

function durationSchema(min: number) {
  return z
    .union([z.int(DURATION_HINT), z.string(DURATION_HINT).regex(/^\d{1,15}(ms|s|m|h|d|w)$/, DURATION_HINT)], {
      error: DURATION_HINT,
    })
    .superRefine((d, ctx) => {
      const ms = tryParseDuration(d);
      if (ms === null) return; // the union already reported it
      if (ms > MAX_DURATION_MS)
        ctx.addIssue({ code: 'custom', message: 'must be at most 180 days ("180d")' });
      else if (ms < min)
        ctx.addIssue({
          code: 'custom',
          message: min === 1 ? 'must be longer than zero' : `must be at least ${min} ms`,
        });
    });
}

/** A positive duration of at most 180 days: `7200000`, `"2h"`, `"90m"`. */
export const DurationSchema = durationSchema(1);
/** A duration that may be zero (allowed lateness). */
export const NonNegativeDurationSchema = durationSchema(0);
