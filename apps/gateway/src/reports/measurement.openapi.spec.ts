import { measurementOpenApiPaths } from './measurement.openapi';

describe('measurement OpenAPI paths', () => {
  const paths = measurementOpenApiPaths({ $ref: '#/components/schemas/Problem' }) as Record<
    string,
    Record<
      string,
      {
        requestBody?: { content: Record<string, { schema: { required?: string[] } }> };
        parameters?: { name: string }[];
      }
    >
  >;

  it('documents every measurement route of docs/api.md', () => {
    expect(Object.keys(paths).sort()).toEqual([
      '/dashboard',
      '/t/c/{token}',
      '/t/o/{token}',
      '/v1/escalations',
      '/v1/escalations/{id}/ack',
      '/v1/feedback',
      '/v1/reports/attribution',
      '/v1/reports/responses',
      '/v1/reports/roi',
      '/v1/reports/timing',
      '/v1/reports/volume',
    ]);
  });

  it('derives request bodies and query parameters from the validating zod schemas', () => {
    const feedback = paths['/v1/feedback']!.post!.requestBody!.content['application/json']!.schema;
    expect(feedback.required?.sort()).toEqual(['at', 'deliveryId', 'type']);
    expect(paths['/v1/reports/roi']!.get!.parameters!.map((p) => p.name)).toEqual([
      'from',
      'to',
      'trigger',
      'bucket',
      'model',
    ]);
    expect(paths['/v1/escalations']!.get!.parameters!.map((p) => p.name)).toEqual(['status', 'customerId']);
  });
});
