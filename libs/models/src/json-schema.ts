import { z } from 'zod';
import { ModelDefinitionSchema } from './model.schema';

/** JSON Schema (draft 2020-12) of a model file `models/<id>.json`, for editors. */
export function modelJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ModelDefinitionSchema, { io: 'input', unrepresentable: 'any' });
}
