import { z } from 'zod';
import { SegmentBatchSchema, SegmentMessageSchema, type SegmentType } from './segment.schema';

type Json = Record<string, unknown>;

/** HTTP Basic with the API key as user name and an empty password (what Segment SDKs send). */
export const SEGMENT_SECURITY_SCHEME: Json = {
  type: 'http',
  scheme: 'basic',
  description:
    'Segment write key: the Kairos API key as user name, empty password (or `writeKey` in the body)',
};

const SUMMARIES: Record<SegmentType, string> = {
  track: 'Segment track: an event of that name',
  identify: 'Segment identify: merge traits into the profile (with anonymousId: merge the anonymous journey)',
  page: 'Segment page: a "Page Viewed" event',
  screen: 'Segment screen: a "Screen Viewed" event',
  group: 'Segment group: attributes.group on the profile',
  alias: 'Segment alias: previousId kept in attributes.aliases; anon:<previousId> merged into userId',
};

/** The Segment-compatible routes (docs/ingestion.md), for the gateway's OpenAPI document. */
export function segmentOpenApiPaths(problem: Json): Record<string, Json> {
  const jsonSchema = (schema: z.ZodType): Json =>
    z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  const err = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: problem } },
  });
  const ok = {
    description:
      'taken (Segment-style `{"success": true}`; in a batch, invalid messages listed in `rejected`)',
    content: { 'application/json': { schema: { type: 'object', properties: { success: { const: true } } } } },
  };
  const operation = (summary: string, schema: Json, tooLarge: string): Json => ({
    post: {
      summary,
      security: [{ apiKey: ['events:write'] }, { segmentWriteKey: ['events:write'] }],
      description:
        'Scopes: events:write (or admin), for every Segment call. Content-Encoding: gzip accepted.',
      requestBody: { required: true, content: { 'application/json': { schema } } },
      responses: {
        '200': ok,
        '400': err(`malformed JSON, invalid message (fields named), or ${tooLarge}`),
        '401': err('missing, unknown or revoked key'),
        '403': err('the key lacks events:write'),
        '429': err('a rate limit is reached; retry after Retry-After'),
        '503': err('Temporal or Postgres unreachable; retry (messageId dedupes)'),
      },
    },
  });
  const message = jsonSchema(SegmentMessageSchema);
  const paths: Record<string, Json> = {
    '/v1/batch': operation(
      'Segment batch: mixed messages, each with its `type`',
      jsonSchema(SegmentBatchSchema),
      'over 500 KB',
    ),
  };
  for (const [type, summary] of Object.entries(SUMMARIES))
    paths[`/v1/${type}`] = operation(summary, message, 'over 32 KB');
  return paths;
}
