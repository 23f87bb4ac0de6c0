import { z } from 'zod';
import { CE_BATCH, CE_BATCH_MAX, CE_STRUCTURED, CloudEventSchema } from './cloudevent.schema';

type Json = Record<string, unknown>;

/** Binary mode's context attributes, as headers (percent-encoded values, as the HTTP binding says). */
const BINARY_HEADERS: [string, string][] = [
  ['ce-specversion', 'binary mode: "1.0" (required in binary mode)'],
  ['ce-id', 'binary mode: event id; with ce-source, the idempotency key (required in binary mode)'],
  ['ce-source', 'binary mode: URI-reference of the producer (required in binary mode)'],
  ['ce-type', 'binary mode: the Kairos event name (required in binary mode)'],
  ['ce-subject', 'binary mode: the customer id, unless ce-customerid is sent'],
  ['ce-customerid', 'binary mode: extension attribute, the customer id (wins over ce-subject)'],
  ['ce-time', 'binary mode: RFC 3339 time, the occurredAt'],
];

/**
 * POST /v1/cloudevents (docs/ingestion.md), for the gateway's OpenAPI document. `problem`,
 * `eventResult` and `batchResult` are the document's references to those schemas.
 */
export function cloudEventsOpenApiPaths(
  problem: Json,
  eventResult: Json,
  batchResult: Json,
): Record<string, Json> {
  const cloudEvent = z.toJSONSchema(CloudEventSchema, { io: 'input', unrepresentable: 'any' }) as Json;
  delete cloudEvent.$schema;
  const err = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: problem } },
  });
  return {
    '/v1/cloudevents': {
      post: {
        summary: 'Ingest CloudEvents 1.0: binary, structured or batch content mode',
        security: [{ apiKey: ['events:write'] }],
        description:
          'Scopes: events:write (or admin). The mode follows Content-Type: ' +
          `${CE_STRUCTURED} (one event), ${CE_BATCH} (a JSON array of up to ${CE_BATCH_MAX} events), ` +
          'anything else is binary mode (ce-* headers, JSON data as the body).',
        parameters: BINARY_HEADERS.map(([name, description]) => ({
          name,
          in: 'header',
          required: false,
          schema: { type: 'string' },
          description,
        })),
        requestBody: {
          required: true,
          content: {
            [CE_STRUCTURED]: { schema: cloudEvent },
            [CE_BATCH]: { schema: { type: 'array', maxItems: CE_BATCH_MAX, items: cloudEvent } },
            'application/json': { schema: {}, description: 'binary mode: the data, any JSON value' },
          },
        },
        responses: {
          '202': {
            description: 'one event (binary, structured): accepted, a duplicate, or ignored',
            content: { 'application/json': { schema: eventResult } },
          },
          '200': {
            description: 'batch mode: one result per event, in order',
            content: { 'application/json': { schema: batchResult } },
          },
          '400': err('malformed JSON, or an invalid event: every failing attribute named'),
          '401': err('missing, unknown or revoked API key'),
          '403': err('the key lacks the scope'),
          '413': err('body over 1 MiB'),
          '415': err('binary mode data that is not JSON'),
          '429': err('a limit is reached; retry after Retry-After'),
          '503': err('Temporal unreachable; retry later with the same source and id'),
        },
      },
    },
  };
}
