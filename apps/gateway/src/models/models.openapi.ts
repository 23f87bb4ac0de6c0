import { z } from 'zod';
import { ModelCardSchema, ModelDefinitionSchema } from '@kairos/models';

type Json = Record<string, unknown>;

/** An enabled trigger whose pattern reads the model's score (docs/api.md "Models"). */
export const ModelTriggerSchema = z.object({
  triggerId: z.string(),
  holdout: z.number().describe('the share of matches held out (response.experiment.holdout; 0: none)'),
  conversion: z
    .object({ event: z.string(), window: z.union([z.int(), z.string()]) })
    .nullable()
    .describe('the conversion goal (response.conversion) as written; null: no outcome is measured'),
});

const ModelListSchema = z.object({
  models: z.array(
    z.object({
      id: z.string(),
      definition: ModelDefinitionSchema.nullable(),
      current: z.int().nullable().describe('the version that scores customers'),
      versions: z.array(
        z.object({
          version: z.int(),
          status: z.enum(['current', 'retired', 'rejected']),
          trainedAt: z.string(),
          card: ModelCardSchema,
        }),
      ),
      distribution: z
        .array(
          z.object({ from: z.number(), to: z.number(), customers: z.int(), expectedPositives: z.number() }),
        )
        .describe('20 bins of the stored scores; expectedPositives is the sum of the scores in the bin'),
      triggers: z
        .array(ModelTriggerSchema)
        .describe(
          'the triggers whose pattern has a score atom on this model; their outcome is in the attribution report',
        ),
    }),
  ),
});

/** GET /v1/models (docs/api.md "Models"), for the gateway's OpenAPI document. */
export function modelsOpenApiPaths(problem: Json): Record<string, Json> {
  const err = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: problem } },
  });
  const schema = z.toJSONSchema(ModelListSchema, { io: 'output', unrepresentable: 'any' }) as Json;
  delete schema.$schema;
  return {
    '/v1/models': {
      get: {
        summary: 'Predictive models: definition, the card of every version, the score distribution',
        security: [{ apiKey: ['reports:read', 'journeys:read'] }],
        description: 'Scopes: reports:read or journeys:read (or admin).',
        responses: {
          '200': { description: 'models', content: { 'application/json': { schema } } },
          '401': err('missing, unknown or revoked API key'),
          '403': err('the key lacks the scope'),
        },
      },
    },
  };
}
