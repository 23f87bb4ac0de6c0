import { z } from 'zod';
import { EngineConfigSchema } from './engine-config.schema';
import { PolicySchema } from './policy.schema';
import { TriggerSchema } from './trigger.schema';

/**
 * One version of everything a journey runs on: the enabled triggers, the workspace policy and the
 * matcher configuration. The worker hashes it (the version id journeys carry) and ships it to
 * the workflow code; templates stay on the worker (only activities render them).
 */
export const DefinitionSetSchema = z.strictObject({
  triggers: z.array(TriggerSchema),
  policy: PolicySchema,
  engineConfig: EngineConfigSchema.optional(),
});
export type DefinitionSet = z.infer<typeof DefinitionSetSchema>;

/**
 * Every definition version a deployment knows, by content hash: compiled into the workflow code
 * by the worker, so journeys carry a hash instead of the definitions.
 */
export const DefinitionsRegistrySchema = z.strictObject({
  versions: z.record(z.string(), DefinitionSetSchema),
});
export type DefinitionsRegistry = z.infer<typeof DefinitionsRegistrySchema>;
