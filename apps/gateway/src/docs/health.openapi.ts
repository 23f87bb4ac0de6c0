import { type Ref } from './openapi-component';
import { type OpenApiHelpers } from './openapi-helpers';
import { ReadySchema } from './openapi-schemas';

type Json = Record<string, unknown>;

/** /health/live, /health/ready and /metrics (docs/api.md §10); no API key. */
export function healthOpenApiPaths(h: OpenApiHelpers, ref: Ref): Record<string, Json> {
  return {
    '/health/live': { get: { summary: 'Process is alive', responses: { '200': { description: 'ok' } } } },
    '/health/ready': {
      get: {
        summary: 'Temporal and Postgres reachable',
        responses: {
          '200': { description: 'ready', ...h.json(ref('Ready', ReadySchema)) },
          '503': h.err('not ready'),
        },
      },
    },
    '/metrics': {
      get: {
        summary: 'Prometheus metrics',
        responses: {
          '200': {
            description: 'text exposition',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
  };
}
