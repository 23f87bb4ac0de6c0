import { API_KEY_SCOPES } from '@kairos/persistence';
import { backtestsOpenApiPaths } from '../backtests/backtests.openapi';
import { broadcastsOpenApiPaths } from '../broadcasts/broadcasts.openapi';
import { cloudEventsOpenApiPaths } from '../cloudevents/cloudevents.openapi';
import { importOpenApiPaths } from '../import/import.openapi';
import { modelsOpenApiPaths } from '../models/models.openapi';
import { measurementOpenApiPaths } from '../reports/measurement.openapi';
import { SEGMENT_SECURITY_SCHEME, segmentOpenApiPaths } from '../segment/segment.openapi';
import { customerIdParameter, customersOpenApiPaths } from './customers.openapi';
import { eventsOpenApiPaths } from './events.openapi';
import { healthOpenApiPaths } from './health.openapi';
import { component, type Ref } from './openapi-component';
import { openApiHelpers } from './openapi-helpers';
import { ProblemSchema } from './openapi-schemas';
import { triggersOpenApiPaths } from './triggers.openapi';
import { CustomerProfileSchema, EventBatchSchema, EventSchema, ExitRequestSchema } from '@kairos/events';

type Json = Record<string, unknown>;

/**
 * Registers the request bodies of the core routes. Components appear in the document in
 * registration order, so this runs before any path is built.
 */
function registerRequests(ref: Ref, schemas: Json) {
  const event = ref('Event', EventSchema, 'input');
  const batch = ref('EventBatch', EventBatchSchema, 'input');
  // Batch items are validated one by one with the Event schema; document them as such.
  ((schemas.EventBatch as Json).properties as Json).events = {
    ...(((schemas.EventBatch as Json).properties as Json).events as Json),
    items: event,
  };
  const profile = ref('CustomerProfile', CustomerProfileSchema, 'input');
  const exit = ref('ExitRequest', ExitRequestSchema, 'input');
  return { event, batch, profile, exit, customerIdParam: customerIdParameter(ref) };
}

/** The OpenAPI 3.1 document of the gateway, generated from the zod schemas that validate requests. */
export function buildOpenApiDocument(): Json {
  const schemas: Json = {};
  const ref: Ref = (name, schema, io = 'output') => component(name, schema, io, schemas);
  const problem = ref('Problem', ProblemSchema);
  const requests = registerRequests(ref, schemas);
  const h = openApiHelpers(problem);
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
      ...eventsOpenApiPaths(h, ref, requests),
      ...customersOpenApiPaths(h, ref, requests),
      ...triggersOpenApiPaths(h, ref),
      ...healthOpenApiPaths(h, ref),
    },
  };
}
