import { z } from 'zod';
import { EngineConfigSchema } from './engine-config.schema';
import { PolicySchema } from './policy.schema';
import { TriggerSchema } from './trigger.schema';

/** JSON Schema (draft 2020-12) of a trigger file, for editors. */
export function triggerJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(TriggerSchema, { io: 'input', unrepresentable: 'any' });
}

/** JSON Schema of the workspace policy file. */
export function policyJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(PolicySchema, { io: 'input', unrepresentable: 'any' });
}

/** JSON Schema of an engine config file (`--config`). */
export function engineConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(EngineConfigSchema, { io: 'input', unrepresentable: 'any' });
}
