import { z } from 'zod';
import { type OpenApiHelpers, openApiHelpers } from '../docs/openapi-helpers';
import { EscalationAckSchema, EscalationListQuerySchema } from '../escalations/escalations.schema';
import { FeedbackAnswerSchema, FeedbackRequestSchema } from '../feedback/feedback.schema';
import { BUCKETS } from './reports.schema';

type Json = Record<string, unknown>;

const schemaOf = (s: z.ZodType): Json => {
  const json = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Json;
  delete json.$schema;
  return json;
};

/**
 * OpenAPI path items of the measurement routes (feedback, tracking, escalations, reports,
 * dashboard), generated from the zod schemas that validate them. `problem` is the document's
 * reference to its Problem schema. Merge into `paths` of docs/openapi.ts.
 */
export function measurementOpenApiPaths(problem: Json): Record<string, Json> {
  const h = openApiHelpers(problem);
  return { ...feedbackOpenApiPaths(h), ...escalationsOpenApiPaths(h), ...reportsOpenApiPaths(h) };
}

const query = (name: string, schema: Json, description: string) => ({
  name,
  in: 'query',
  required: false,
  schema,
  description,
});

/** POST /v1/feedback and the tracking links /t/o and /t/c (docs/api.md §6). */
function feedbackOpenApiPaths(h: OpenApiHelpers): Record<string, Json> {
  const { json, err, secured, auth } = h;
  const token = { name: 'token', in: 'path', required: true, schema: { type: 'string' } };
  return {
    '/v1/feedback': {
      post: {
        summary: 'Provider callback about one delivery (delivered, opened, clicked, bounced, ...)',
        ...secured('feedback:write'),
        parameters: [
          { name: 'x-kairos-timestamp', in: 'header', required: false, schema: { type: 'string' } },
          { name: 'x-kairos-signature', in: 'header', required: false, schema: { type: 'string' } },
        ],
        requestBody: { required: true, ...json(schemaOf(FeedbackRequestSchema)) },
        responses: {
          '202': {
            description:
              'the same answer for every valid callback (recorded, duplicate, or unknown delivery id ignored)',
            ...json(schemaOf(FeedbackAnswerSchema)),
          },
          '400': err('schema'),
          ...auth,
          '401': err(
            'missing, unknown or revoked API key; or, with KAIROS_FEEDBACK_SIGNING_SECRET set, a missing or wrong signature',
          ),
          '503': err('Temporal unreachable; retry'),
        },
      },
    },
    '/t/o/{token}': {
      get: {
        summary:
          'Open pixel (1x1 GIF); a GET records the first `opened` of the delivery (HEAD records nothing)',
        parameters: [token],
        responses: { '200': { description: 'image/gif' } },
      },
    },
    '/t/c/{token}': {
      get: {
        summary: 'Click link: 302 to the signed target; a GET records the first `clicked` of the delivery',
        parameters: [token],
        responses: {
          '302': { description: 'redirect to the target' },
          '404': err('forged token, or no such delivery (never a redirect)'),
        },
      },
    },
  };
}

/** GET /v1/escalations and POST /v1/escalations/{id}/ack (docs/api.md §7). */
function escalationsOpenApiPaths(h: OpenApiHelpers): Record<string, Json> {
  const { json, err, secured, auth } = h;
  const listQuery = schemaOf(EscalationListQuerySchema) as { properties: Record<string, Json> };
  return {
    '/v1/escalations': {
      get: {
        summary: 'Escalations to a human',
        ...secured('journeys:read'),
        parameters: Object.entries(listQuery.properties).map(([name, schema]) => query(name, schema, name)),
        responses: { '200': json({ type: 'object' }), '400': err('invalid query parameter'), ...auth },
      },
    },
    '/v1/escalations/{id}/ack': {
      post: {
        summary: 'Acknowledge an escalation; the waiting journey is signalled',
        ...secured('customers:write'),
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: { required: true, ...json(schemaOf(EscalationAckSchema)) },
        responses: {
          '202': { description: 'signalled, or acked here when no journey runs' },
          '400': err('schema'),
          ...auth,
          '404': err('unknown escalation'),
          '409': err('not open'),
          '503': err('Temporal unreachable; retry'),
        },
      },
    },
  };
}

/** The /v1/reports routes and the dashboard page (docs/api.md §8). */
function reportsOpenApiPaths(h: OpenApiHelpers): Record<string, Json> {
  const { json, err, secured, auth } = h;
  const iso = { type: 'string', format: 'date-time' };
  const reportParams = [
    query('from', iso, 'start of the range, ISO-8601 with offset (default: `to` minus 24 h)'),
    query('to', iso, 'end of the range, exclusive (default: now)'),
    query('trigger', { type: 'string' }, 'one trigger id'),
    query('bucket', { type: 'string', enum: Object.keys(BUCKETS), default: '1h' }, 'volume bucket'),
    query(
      'model',
      { type: 'string', enum: ['last-touch', 'first-touch', 'linear'], default: 'last-touch' },
      'attribution model (attribution, roi)',
    ),
  ];
  const report = (summary: string) => ({
    get: {
      summary,
      ...secured('reports:read'),
      parameters: reportParams,
      responses: { '200': json({ type: 'object' }), '400': err('invalid query parameter'), ...auth },
    },
  });
  return {
    '/v1/reports/volume': report(
      'Fired matches per trigger and events per name over time, anomalies flagged',
    ),
    '/v1/reports/responses': report('Response rates per trigger, channel and variant; treated vs holdout'),
    '/v1/reports/attribution': report('Conversions credited to deliveries, and lift over the holdout'),
    '/v1/reports/timing': report('Response and conversion rate per delay variant, Wilson 95% intervals'),
    '/v1/reports/roi': report('Attributed revenue against message cost per trigger'),
    '/dashboard': {
      get: {
        summary: 'Measurement dashboard (HTML; asks for a reports:read key)',
        responses: { '200': { description: 'text/html' } },
      },
    },
  };
}
