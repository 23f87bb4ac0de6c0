import { z } from 'zod';
import {
  BacktestAcceptedSchema,
  BacktestRequestSchema,
  BacktestTraceSchema,
  BacktestViewSchema,
  JourneyTraceSchema,
} from './backtest.schemas';

type Json = Record<string, unknown>;

/** /v1/backtests and the journey trace (docs/api.md §11), for the gateway's OpenAPI document. */
export function backtestsOpenApiPaths(problem: Json): Record<string, Json> {
  const schema = (s: z.ZodType, io: 'input' | 'output' = 'output'): Json => {
    const json = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Json;
    delete json.$schema;
    return json;
  };
  const ok = (description: string, s: z.ZodType) => ({
    description,
    content: { 'application/json': { schema: schema(s) } },
  });
  const err = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: problem } },
  });
  const path = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
  const scope = [{ apiKey: ['triggers:backtest'] }];
  return {
    '/v1/backtests': {
      post: {
        summary: 'Run triggers (loaded ids or drafts) over the stored events of a range',
        description:
          'Scopes: triggers:backtest (or admin). Definitions are validated first with the messages of ' +
          'POST /v1/triggers/validate; the run is a durable job (GET /v1/backtests/{id}).',
        security: scope,
        requestBody: {
          required: true,
          content: { 'application/json': { schema: schema(BacktestRequestSchema, 'input') } },
        },
        responses: {
          '202': ok('stored and started', BacktestAcceptedSchema),
          '400': err('invalid request or definitions (each field named)'),
          '503': err('Temporal unreachable: nothing was started'),
        },
      },
    },
    '/v1/backtests/{id}': {
      get: {
        summary: 'State, progress and results (running totals while it runs)',
        security: scope,
        parameters: [path('id')],
        responses: { '200': ok('the backtest', BacktestViewSchema), '404': err('no such backtest') },
      },
    },
    '/v1/backtests/{id}/cancel': {
      post: {
        summary: 'Stop a queued or running backtest; the results counted so far are kept',
        security: scope,
        parameters: [path('id')],
        responses: {
          '202': ok('cancelled', BacktestAcceptedSchema),
          '404': err('no such backtest'),
          '409': err('the backtest has already finished'),
        },
      },
    },
    '/v1/backtests/{id}/customers/{customerId}/trace': {
      get: {
        summary: "Why (not): every decision of the engine about the customer's partial matches",
        security: scope,
        parameters: [path('id'), path('customerId')],
        responses: { '200': ok('the trace', BacktestTraceSchema), '404': err('no such backtest') },
      },
    },
    '/v1/customers/{customerId}/journey/trace': {
      get: {
        summary: "The live journey's recent decisions about partial matches",
        security: [{ apiKey: ['journeys:read'] }],
        parameters: [path('customerId')],
        responses: {
          '200': ok('the most recent decisions, oldest first', JourneyTraceSchema),
          '404': err('the customer has no journey'),
          '503': err('Temporal or the worker did not answer'),
        },
      },
    },
  };
}
