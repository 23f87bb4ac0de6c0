import { z } from 'zod';
import { BroadcastRequestSchema, BroadcastViewSchema } from './broadcasts.schema';

type Json = Record<string, unknown>;

/** Registers a zod schema as a component of the document and returns its `$ref`. */
type Ref = (name: string, schema: z.ZodType, io?: 'input' | 'output') => Json;

/** /v1/broadcasts (docs/api.md "Broadcasts"), for the gateway's OpenAPI document. */
export function broadcastsOpenApiPaths(problem: Json, ref: Ref): Record<string, Json> {
  const err = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: problem } },
  });
  const view = ref('Broadcast', BroadcastViewSchema);
  const created = ref(
    'BroadcastCreated',
    BroadcastViewSchema.extend({ status: z.enum(['accepted', 'duplicate']) }),
  );
  const json = (schema: Json) => ({ content: { 'application/json': { schema } } });
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  return {
    '/v1/broadcasts': {
      post: {
        summary: 'Fan one external event out to an audience (one workflow per broadcast)',
        security: [{ apiKey: ['broadcasts:write'] }],
        description:
          'Scopes: broadcasts:write (or admin). The id is the idempotency key: the same request again ' +
          'answers `duplicate`; another request with that id answers 409.',
        requestBody: {
          required: true,
          ...json(ref('BroadcastRequest', BroadcastRequestSchema, 'input')),
        },
        responses: {
          '202': {
            description: 'stored and started',
            ...json(created),
          },
          '400': err('invalid request (each field named)'),
          '409': err('the id is taken by another broadcast'),
          '503': err('Temporal or PostgreSQL unreachable; retry with the same request'),
        },
      },
    },
    '/v1/broadcasts/{id}': {
      get: {
        summary: 'A broadcast: state and matched, delivered, skipped and failed customers',
        security: [{ apiKey: ['broadcasts:write', 'journeys:read'] }],
        parameters: [idParam],
        responses: {
          '200': { description: 'the broadcast', ...json(view) },
          '404': err('no such broadcast'),
        },
      },
    },
    '/v1/broadcasts/{id}/cancel': {
      post: {
        summary: 'Stop a running broadcast; customers already reached keep their event',
        security: [{ apiKey: ['broadcasts:write'] }],
        parameters: [idParam],
        responses: {
          '202': {
            description: 'cancel requested; `state` turns `cancelled` when it stopped',
            ...json(view),
          },
          '404': err('no such broadcast'),
          '409': err('the broadcast has already finished'),
        },
      },
    },
  };
}
