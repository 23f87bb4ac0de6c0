import { z } from 'zod';
import { ImportEventSchema } from './import-line';
import { IMPORT_MAX_ERRORS, IMPORT_MAX_LINES } from './import.service';

type Json = Record<string, unknown>;

const ImportResultSchema = z.object({
  received: z.int().describe('non-blank lines read'),
  imported: z.int().describe('new rows stored'),
  duplicates: z.int().describe('valid lines already stored (same customerId and id)'),
  rejected: z.int().describe('invalid lines, all counted'),
  errors: z
    .array(z.object({ line: z.int(), field: z.string(), message: z.string() }))
    .describe(`the first ${IMPORT_MAX_ERRORS} invalid lines`),
});

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): Json => {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  delete json.$schema;
  return json;
};

/** POST /v1/import (docs/ingestion.md "Import past events"), for the gateway's OpenAPI document. */
export function importOpenApiPaths(problem: Json): Record<string, Json> {
  const err = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: problem } },
  });
  return {
    '/v1/import': {
      post: {
        summary: `Import up to ${IMPORT_MAX_LINES.toLocaleString('en')} past events (NDJSON); no journey is signalled`,
        security: [{ apiKey: ['events:import'] }],
        description:
          'Scopes: events:import (or admin). One event per line; `Content-Encoding: gzip` accepted. ' +
          'Valid lines are stored even when others are invalid; a re-import counts them as duplicates.',
        requestBody: {
          required: true,
          content: {
            // NDJSON has no schema of its own: this is each line's (as OpenAPI 3.2's itemSchema would say).
            'application/x-ndjson': {
              schema: {
                ...jsonSchema(ImportEventSchema, 'input'),
                description: 'one line: one JSON event of this shape',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'counts, and the first invalid lines by line number and field',
            content: { 'application/json': { schema: jsonSchema(ImportResultSchema, 'output') } },
          },
          '400': err('the gzip body could not be decompressed (nothing imported)'),
          '401': err('missing, unknown or revoked API key'),
          '403': err('the key lacks the scope'),
          '413': err(`more than ${IMPORT_MAX_LINES.toLocaleString('en')} lines (nothing imported)`),
          '415': err('not application/x-ndjson, or a Content-Encoding other than gzip'),
        },
      },
    },
  };
}
