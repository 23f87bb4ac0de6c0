import { z } from 'zod';
import { CustomerProfileSchema, EventSchema } from '@kairos/events';
import { buildOpenApiDocument } from './openapi';

type Doc = {
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
  components: { schemas: Record<string, Record<string, unknown>> };
};

describe('OpenAPI document', () => {
  const doc = buildOpenApiDocument() as unknown as Doc;

  it('documents the request bodies with the JSON Schema of the validating zod schemas', () => {
    const event = z.toJSONSchema(EventSchema, { io: 'input', unrepresentable: 'any' }) as {
      properties: Record<string, unknown>;
    };
    expect(Object.keys(doc.components.schemas.Event!.properties as object)).toEqual(
      Object.keys(event.properties),
    );
    const profile = z.toJSONSchema(CustomerProfileSchema, { io: 'input', unrepresentable: 'any' }) as {
      properties: Record<string, unknown>;
    };
    const hoisted = JSON.stringify(profile.properties).replace(
      /#\/\$defs\//g,
      '#/components/schemas/CustomerProfile_',
    );
    expect(doc.components.schemas.CustomerProfile!.properties).toEqual(JSON.parse(hoisted));
  });

  it('lists every error status of docs/api.md for POST /v1/events', () => {
    expect(Object.keys(doc.paths['/v1/events']!.post!.responses!).sort()).toEqual([
      '202',
      '400',
      '401',
      '403',
      '413',
      '415',
      '429',
      '503',
    ]);
  });

  it('documents the erasure under its own scope', () => {
    const erase = doc.paths['/v1/customers/{customerId}']!.delete as {
      security: unknown;
      responses: Record<string, unknown>;
    };
    expect(erase.security).toEqual([{ apiKey: ['customers:erase'] }]);
    expect(Object.keys(erase.responses).sort()).toEqual(['200', '400', '401', '403', '501', '503']);
    expect(Object.keys(doc.components.schemas.ErasureResult!.properties as object).sort()).toEqual([
      'customerId',
      'erasedAt',
      'files',
      'rows',
      'status',
      'workflowRuns',
    ]);
  });

  it('has no dangling $ref', () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"#\/components\/schemas\/[^"]+"/g) ?? [];
    for (const ref of refs)
      expect(doc.components.schemas).toHaveProperty([ref.slice('"$ref":"#/components/schemas/'.length, -1)]);
    expect(refs.length).toBeGreaterThan(5);
  });
});
