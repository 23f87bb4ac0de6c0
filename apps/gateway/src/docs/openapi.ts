import { z } from 'zod';
import { API_KEY_SCOPES } from '@kairos/persistence';
import { backtestsOpenApiPaths } from '../backtests/backtests.openapi';
import { broadcastsOpenApiPaths } from '../broadcasts/broadcasts.openapi';
import { cloudEventsOpenApiPaths } from '../cloudevents/cloudevents.openapi';
import { ErasureResultSchema } from '../customers/erasure.schema';
import { importOpenApiPaths } from '../import/import.openapi';
import { modelsOpenApiPaths } from '../models/models.openapi';
import { measurementOpenApiPaths } from '../reports/measurement.openapi';
import { SEGMENT_SECURITY_SCHEME, segmentOpenApiPaths } from '../segment/segment.openapi';
import {
  CustomerIdSchema,
  CustomerProfileSchema,
  EventBatchSchema,
  EventSchema,
  ExitRequestSchema,
  ScoresSchema,
} from '@kairos/events';

type Json = Record<string, unknown>;

const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
const EventStatusSchema = z.enum(['accepted', 'duplicate', 'ignored']);
const EventResultSchema = z.object({ id: z.string(), status: EventStatusSchema, workflowId: z.string() });
const BatchResultSchema = z.object({
  results: z.array(
    z.object({
      index: z.int(),
      id: z.string().nullable(),
      status: z.enum(['accepted', 'duplicate', 'ignored', 'rejected']),
      workflowId: z.string().optional(),
      error: ProblemSchema.optional(),
      retryAfter: z.int().optional().describe('seconds, for items rejected with 429 or 503'),
    }),
  ),
});
const CustomerViewSchema = CustomerProfileSchema.extend({
  customerId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const PutCustomerResultSchema = CustomerViewSchema.extend({ journey: z.enum(['signalled', 'no-journey']) });
const ExitResultSchema = z.object({
  customerId: z.string(),
  workflowId: z.string(),
  status: z.enum(['signalled', 'no-journey']),
});
const JourneyViewSchema = z.object({
  customerId: z.string(),
  workflowId: z.string(),
  stage: z.string(),
  recentEvents: z.array(z.object({ id: z.string(), name: z.string(), occurredAt: z.string() })),
  partialMatches: z.array(
    z.object({
      triggerId: z.string(),
      key: z.string(),
      startedAt: z.string(),
      deadline: z.string().nullable(),
    }),
  ),
  pendingResponses: z.array(
    z.object({ matchId: z.string(), triggerId: z.string(), runAt: z.string(), channel: z.string() }),
  ),
  history: z.array(
    z.object({
      matchId: z.string(),
      triggerId: z.string(),
      at: z.string(),
      status: z.string(),
      reason: z.string().optional(),
      channel: z.string().optional(),
    }),
  ),
  counters: z.object({ events: z.int(), duplicates: z.int(), late: z.int() }),
  /** Date and schedule triggers (docs/triggers.md §3.12): pending instant, or why none. */
  timeTriggers: z
    .array(
      z.object({
        triggerId: z.string(),
        kind: z.enum(['date', 'schedule']),
        pendingAt: z.string().nullable(),
        lastAt: z.string().nullable(),
        note: z.string().optional(),
      }),
    )
    .optional(),
});
const PathErrorSchema = z.object({ path: z.string(), message: z.string() });
const TriggerListSchema = z.object({
  triggers: z.array(z.object({ id: z.string(), version: z.int(), enabled: z.boolean(), hash: z.string() })),
  eventNames: z.array(z.string()),
  errors: z.array(PathErrorSchema),
});
const ValidateResultSchema = z.object({
  valid: z.boolean(),
  errors: z.array(PathErrorSchema),
  /** Legal but suspicious (docs/triggers.md §2.8); never makes a definition invalid. */
  warnings: z.array(PathErrorSchema),
});
const ReadySchema = z.object({
  status: z.literal('ok'),
  temporal: z.literal('up'),
  postgres: z.literal('up'),
  definitions: z
    .object({
      status: z.enum(['match', 'mismatch', 'unknown']),
      gateway: z.string().nullable().describe("hash of the gateway's trigger set"),
      workers: z.array(z.object({ hash: z.string(), workers: z.int() })).describe('live workers by hash'),
    })
    .describe('trigger definitions of this gateway against the live workers (information only)'),
});

/** zod -> JSON Schema (2020-12, as OpenAPI 3.1 uses), with local $defs hoisted into components. */
function component(name: string, schema: z.ZodType, io: 'input' | 'output', components: Json): Json {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  delete json.$schema;
  const defs = (json.$defs ?? {}) as Json;
  delete json.$defs;
  const rename = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rename);
    if (node && typeof node === 'object') {
      const out: Json = {};
      for (const [k, v] of Object.entries(node as Json)) {
        out[k] =
          k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')
            ? `#/components/schemas/${name}_${v.slice(8)}`
            : rename(v);
      }
      return out;
    }
    return node;
  };
  for (const [def, body] of Object.entries(defs)) components[`${name}_${def}`] = rename(body);
  components[name] = rename(json);
  return { $ref: `#/components/schemas/${name}` };
}

/** The OpenAPI 3.1 document of the gateway, generated from the zod schemas that validate requests. */
export function buildOpenApiDocument(): Json {
  const schemas: Json = {};
  const ref = (name: string, schema: z.ZodType, io: 'input' | 'output' = 'output'): Json =>
    component(name, schema, io, schemas);
  const problem = ref('Problem', ProblemSchema);
  const event = ref('Event', EventSchema, 'input');
  const batch = ref('EventBatch', EventBatchSchema, 'input');
  // Batch items are validated one by one with the Event schema; document them as such.
  ((schemas.EventBatch as Json).properties as Json).events = {
    ...(((schemas.EventBatch as Json).properties as Json).events as Json),
    items: event,
  };
  const profile = ref('CustomerProfile', CustomerProfileSchema, 'input');
  const exit = ref('ExitRequest', ExitRequestSchema, 'input');
  const customerIdParam = {
    name: 'customerId',
    in: 'path',
    required: true,
    schema: component('CustomerId', CustomerIdSchema, 'input', schemas),
  };
  const json = (schema: Json) => ({ content: { 'application/json': { schema } } });
  const err = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: problem } },
  });
  const retryAfter = { 'Retry-After': { schema: { type: 'integer' }, description: 'seconds' } };
  const auth = { '401': err('missing, unknown or revoked API key'), '403': err('the key lacks the scope') };
  const body = { '413': err('body over 1 MiB'), '415': err('not application/json') };
  const secured = (...scopes: string[]) => ({
    security: [{ apiKey: scopes }],
    description: `Scopes: any of ${scopes.join(', ')} (or admin).`,
  });
  const unavailable = {
    description: 'Temporal unreachable; retry later (events: with the same id)',
    headers: retryAfter,
    content: { 'application/problem+json': { schema: problem } },
  };

  return {
    openapi: '3.1.0',
    info: {
      title: 'Kairos gateway',
      version: '1.0.0',
      description: 'Event ingestion, customer profiles and journeys (docs/api.md).',
    },
    components: {
      schemas,
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: `API key; scopes: ${API_KEY_SCOPES.join(', ')}`,
        },
        segmentWriteKey: SEGMENT_SECURITY_SCHEME,
      },
    },
    paths: {
      ...measurementOpenApiPaths(problem),
      ...segmentOpenApiPaths(problem),
      ...importOpenApiPaths(problem),
      ...broadcastsOpenApiPaths(problem, ref),
      ...backtestsOpenApiPaths(problem),
      ...modelsOpenApiPaths(problem),
      ...cloudEventsOpenApiPaths(
        problem,
        { $ref: '#/components/schemas/EventResult' },
        { $ref: '#/components/schemas/BatchResult' },
      ),
      '/v1/events': {
        post: {
          summary: 'Ingest one event',
          ...secured('events:write'),
          requestBody: { required: true, ...json(event) },
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
              headers: retryAfter,
              content: { 'application/problem+json': { schema: problem } },
            },
            '503': unavailable,
          },
        },
      },
      '/v1/events/batch': {
        post: {
          summary: 'Ingest up to 500 events; one result per item, in order',
          ...secured('events:write'),
          requestBody: { required: true, ...json(batch) },
          responses: {
            '200': { description: 'per-item results', ...json(ref('BatchResult', BatchResultSchema)) },
            '400': err('envelope invalid'),
            ...auth,
            ...body,
          },
        },
      },
      '/v1/customers/{customerId}': {
        parameters: [customerIdParam],
        put: {
          summary:
            'Upsert the profile (a running journey is signalled); consent flags left out keep their stored value',
          ...secured('customers:write'),
          requestBody: { required: true, ...json(profile) },
          responses: {
            '200': { description: 'updated', ...json(ref('PutCustomerResult', PutCustomerResultSchema)) },
            '201': { description: 'created', ...json({ $ref: '#/components/schemas/PutCustomerResult' }) },
            '400': err('schema'),
            ...auth,
            ...body,
            '503': unavailable,
          },
        },
        get: {
          summary: 'Read the profile',
          ...secured('customers:write', 'journeys:read'),
          responses: {
            '200': {
              description: 'the profile and its model scores (docs/models.md §5)',
              ...json(ref('Customer', CustomerViewSchema.extend({ scores: ScoresSchema }))),
            },
            ...auth,
            '404': err('no such customer'),
          },
        },
        delete: {
          summary:
            'Erase the customer everywhere: rows, outbox files, the journey and its history (docs/api.md §4.5)',
          ...secured('customers:erase'),
          responses: {
            '200': {
              description: 'erased; idempotent (nothing left = empty counts)',
              ...json(ref('ErasureResult', ErasureResultSchema)),
            },
            '400': err('bad customer id'),
            ...auth,
            '501': err(
              'the Temporal server cannot delete histories (time-skipping test server): nothing erased',
            ),
            '503': unavailable,
          },
        },
      },
      '/v1/customers/{customerId}/journey': {
        parameters: [customerIdParam],
        get: {
          summary: 'The live journey (workflow query)',
          ...secured('journeys:read'),
          responses: {
            '200': { description: 'journey', ...json(ref('Journey', JourneyViewSchema)) },
            ...auth,
            '404': err('no journey'),
            '503': unavailable,
          },
        },
      },
      '/v1/customers/{customerId}/exit': {
        parameters: [customerIdParam],
        post: {
          summary: 'Cancel every pending response of the customer',
          ...secured('customers:write'),
          requestBody: { required: true, ...json(exit) },
          responses: {
            '202': {
              description: 'signalled, or no journey to signal',
              ...json(ref('ExitResult', ExitResultSchema)),
            },
            '400': err('schema'),
            ...auth,
            '503': unavailable,
          },
        },
      },
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
      '/health/live': { get: { summary: 'Process is alive', responses: { '200': { description: 'ok' } } } },
      '/health/ready': {
        get: {
          summary: 'Temporal and Postgres reachable',
          responses: {
            '200': { description: 'ready', ...json(ref('Ready', ReadySchema)) },
            '503': err('not ready'),
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
    },
  };
}
