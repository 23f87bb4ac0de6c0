import { z } from 'zod';
import { DurationSchema, NonNegativeDurationSchema } from './duration.schema';

/**
 * Matcher configuration (docs/triggers.md §2.6). Every field has a default, so `{}` is a valid config;
 * `dedupe.horizon` defaults to max(24h, allowedLateness) and is resolved by the engine.
 */
export const EngineConfigSchema = z.strictObject({
  time: z
    .strictObject({
      basis: z.enum(['arrival', 'event']).default('arrival'),
      allowedLateness: NonNegativeDurationSchema.default(0),
      maxFutureSkew: NonNegativeDurationSchema.default('5m'),
    })
    .prefault({}),
  dedupe: z
    .strictObject({
      capacity: z
        .int()
        .min(1, 'must be at least 1')
        .max(2000, 'must be at most 2000 (the state budget assumes it)')
        .default(2000),
      horizon: DurationSchema.optional(),
    })
    .prefault({}),
  buffer: z
    .strictObject({
      maxEvents: z.int().min(1, 'must be at least 1').max(100, 'must be at most 100').default(100),
    })
    .prefault({}),
  arbitration: z
    .strictObject({
      mode: z.enum(['immediate', 'ranked']).default('immediate'),
      rankWindow: DurationSchema.optional(),
    })
    .prefault({})
    .superRefine((a, ctx) => {
      if (a.mode === 'ranked' && a.rankWindow === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['rankWindow'],
          message: 'mode "ranked" needs "rankWindow": how long to hold candidates (for example "1m")',
        });
    }),
});
/** A complete engine configuration (defaults applied). */
export type EngineConfig = z.output<typeof EngineConfigSchema>;
/** A partial configuration as accepted by `createEngine` and `--config`: omitted fields take the defaults. */
export type EngineConfigInput = z.input<typeof EngineConfigSchema>;
