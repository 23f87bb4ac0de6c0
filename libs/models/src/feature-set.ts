import { z } from 'zod';

const DAY = 86_400_000;

/**
 * What a trained version computes: stored with the version, so scoring and comparisons compute
 * exactly the features the coefficients were fitted on, whatever the definition says later.
 */
export const FeatureSpecSchema = z.strictObject({
  /** Event names counted one by one. */
  names: z.array(z.string()),
  /** Count windows in ms, ascending; the first is also the trend window. */
  windows: z.array(z.number().int().positive()),
  /** Observation window in ms. */
  observation: z.number().int().positive(),
  /** Event names whose `value` is summed. */
  valueNames: z.array(z.string()),
});
export type FeatureSpec = z.infer<typeof FeatureSpecSchema>;

const label = (ms: number): string => (ms % DAY === 0 ? `${ms / DAY}d` : `${ms}ms`);

/** The names of the features of a spec, in vector order (docs/models.md §2). */
export function featureNames(spec: FeatureSpec): string[] {
  const out: string[] = [];
  for (const n of spec.names) {
    for (const w of spec.windows) out.push(`count:${n}:${label(w)}`);
    out.push(`days_since:${n}`, `trend:${n}`);
  }
  for (const w of spec.windows) out.push(`count:*:${label(w)}`);
  out.push('days_since:*', 'mean_gap_days:*', 'active_days:*', 'trend:*');
  for (const n of spec.valueNames) for (const w of spec.windows) out.push(`value:${n}:${label(w)}`);
  out.push('open_rate', 'tenure_days');
  return out;
}
