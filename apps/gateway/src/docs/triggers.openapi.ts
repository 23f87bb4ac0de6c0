import { type Ref } from './openapi-component';
import { type OpenApiHelpers } from './openapi-helpers';
import { TriggerListSchema, ValidateResultSchema } from './openapi-schemas';

type Json = Record<string, unknown>;

/** /v1/triggers, its validation and the studio's definitions (docs/api.md §5 and §8). */
export function triggersOpenApiPaths(h: OpenApiHelpers, ref: Ref): Record<string, Json> {
  const { json, secured, auth } = h;
  return {
    '/v1/triggers': {
      get: {
        summary: 'Loaded trigger definitions',
        ...secured('journeys:read', 'reports:read'),
        responses: {
          '200': { description: 'definitions', ...json(ref('TriggerList', TriggerListSchema)) },
          ...auth,
        },
      },
    },
    '/v1/studio/definitions': {
      get: {
        summary: 'Loaded trigger definitions in full, for the trigger studio',
        ...secured('journeys:read', 'reports:read'),
        responses: { '200': { description: 'definitions', ...json({ type: 'object' }) }, ...auth },
      },
    },
    '/v1/triggers/validate': {
      post: {
        summary: 'Validate a definition without loading it',
        ...secured('journeys:read', 'reports:read'),
        requestBody: { required: true, ...json({ type: 'object' }) },
        responses: {
          '200': { description: 'validation result', ...json(ref('ValidateResult', ValidateResultSchema)) },
          ...auth,
        },
      },
    },
  };
}
