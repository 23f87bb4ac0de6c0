import { CustomerIdSchema, ScoresSchema } from '@kairos/events';
import { ErasureResultSchema } from '../customers/erasure.schema';
import { type Ref } from './openapi-component';
import { type OpenApiHelpers } from './openapi-helpers';
import {
  CustomerViewSchema,
  ExitResultSchema,
  JourneyViewSchema,
  PutCustomerResultSchema,
} from './openapi-schemas';

type Json = Record<string, unknown>;
/** The request refs the customer routes use, registered up front by the document builder. */
type CustomerRequests = { profile: Json; exit: Json; customerIdParam: Json };

/** The `customerId` path parameter; registers the CustomerId component. */
export function customerIdParameter(ref: Ref): Json {
  return {
    name: 'customerId',
    in: 'path',
    required: true,
    schema: ref('CustomerId', CustomerIdSchema, 'input'),
  };
}

/** /v1/customers/{customerId} and its journey and exit (docs/api.md §4). */
export function customersOpenApiPaths(
  h: OpenApiHelpers,
  ref: Ref,
  requests: CustomerRequests,
): Record<string, Json> {
  return {
    '/v1/customers/{customerId}': customerPathItem(h, ref, requests),
    ...journeyOpenApiPaths(h, ref, requests),
  };
}

/** PUT, GET and DELETE /v1/customers/{customerId}. */
function customerPathItem(h: OpenApiHelpers, ref: Ref, requests: CustomerRequests): Json {
  const { json, err, secured, auth, body, unavailable } = h;
  return {
    parameters: [requests.customerIdParam],
    put: {
      summary:
        'Upsert the profile (a running journey is signalled); consent flags left out keep their stored value',
      ...secured('customers:write'),
      requestBody: { required: true, ...json(requests.profile) },
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
        '501': err('the Temporal server cannot delete histories (time-skipping test server): nothing erased'),
        '503': unavailable,
      },
    },
  };
}

/** GET /v1/customers/{customerId}/journey and POST .../exit. */
function journeyOpenApiPaths(h: OpenApiHelpers, ref: Ref, requests: CustomerRequests): Record<string, Json> {
  const { json, err, secured, auth, unavailable } = h;
  return {
    '/v1/customers/{customerId}/journey': {
      parameters: [requests.customerIdParam],
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
      parameters: [requests.customerIdParam],
      post: {
        summary: 'Cancel every pending response of the customer',
        ...secured('customers:write'),
        requestBody: { required: true, ...json(requests.exit) },
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
  };
}
