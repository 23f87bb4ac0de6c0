import { type Ref } from './openapi-component';
import { type OpenApiHelpers } from './openapi-helpers';
import { BatchResultSchema, EventResultSchema } from './openapi-schemas';

type Json = Record<string, unknown>;

/** /v1/events and /v1/events/batch (docs/api.md §3); `event` and `batch` are the request refs. */
export function eventsOpenApiPaths(
  h: OpenApiHelpers,
  ref: Ref,
  requests: { event: Json; batch: Json },
): Record<string, Json> {
  const { json, err, secured, auth, body } = h;
  return {
    '/v1/events': {
      post: {
        summary: 'Ingest one event',
        ...secured('events:write'),
        requestBody: { required: true, ...json(requests.event) },
        responses: {
          '202': {
            description: 'accepted by Temporal, a duplicate, or ignored (no trigger uses the name)',
            ...json(ref('EventResult', EventResultSchema)),
          },
          '400': err('schema: every failing field is listed'),
          ...auth,
          ...body,
          '429': {
            description:
              'a limit is reached (body `limit`: customer, key, global or new-journeys; docs/api.md §3.3)',
            headers: h.retryAfter,
            content: { 'application/problem+json': { schema: h.problem } },
          },
          '503': h.unavailable,
        },
      },
    },
    '/v1/events/batch': {
      post: {
        summary: 'Ingest up to 500 events; one result per item, in order',
        ...secured('events:write'),
        requestBody: { required: true, ...json(requests.batch) },
        responses: {
          '200': { description: 'per-item results', ...json(ref('BatchResult', BatchResultSchema)) },
          '400': err('envelope invalid'),
          ...auth,
          ...body,
        },
      },
    },
  };
}
