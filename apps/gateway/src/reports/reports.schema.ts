import { z } from 'zod';

export const BUCKETS = { '1m': 60, '5m': 300, '15m': 900, '1h': 3600, '6h': 21_600, '1d': 86_400 } as const;
export type BucketName = keyof typeof BUCKETS;
export const MAX_BUCKETS = 2000;
const DAY_MS = 86_400_000;

/** Query parameters of every /v1/reports/* route (docs/api.md §8: from, to, trigger, bucket; model for attribution and ROI). */
export const ReportQuerySchema = z
  .strictObject({
    from: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time with an offset' }).optional(),
    to: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time with an offset' }).optional(),
    trigger: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be a trigger id (1-128 of [A-Za-z0-9._:-])')
      .optional(),
    bucket: z.enum(Object.keys(BUCKETS) as [BucketName, ...BucketName[]]).default('1h'),
    model: z.enum(['last-touch', 'first-touch', 'linear']).default('last-touch'),
  })
  .transform((q, ctx) => {
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - DAY_MS);
    if (from.getTime() >= to.getTime())
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before `to`' });
    const buckets = (to.getTime() - from.getTime()) / (BUCKETS[q.bucket] * 1000);
    if (buckets > MAX_BUCKETS)
      ctx.addIssue({
        code: 'custom',
        path: ['bucket'],
        message: `gives ${Math.ceil(buckets)} buckets over this range (at most ${MAX_BUCKETS}): choose a larger bucket or a shorter range`,
      });
    return {
      from,
      to,
      triggerId: q.trigger ?? null,
      bucket: q.bucket,
      bucketSeconds: BUCKETS[q.bucket],
      model: q.model,
    };
  });
export type ReportQuery = z.output<typeof ReportQuerySchema>;
