type Json = Record<string, unknown>;

/**
 * Building blocks shared by the path builders of the OpenAPI document. `problem` is the
 * document's reference to its Problem schema.
 */
export function openApiHelpers(problem: Json) {
  const err = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: problem } },
  });
  const retryAfter = { 'Retry-After': { schema: { type: 'integer' }, description: 'seconds' } };
  return {
    problem,
    json: (schema: Json) => ({ content: { 'application/json': { schema } } }),
    err,
    retryAfter,
    auth: { '401': err('missing, unknown or revoked API key'), '403': err('the key lacks the scope') },
    body: { '413': err('body over 1 MiB'), '415': err('not application/json') },
    secured: (...scopes: string[]) => ({
      security: [{ apiKey: scopes }],
      description: `Scopes: any of ${scopes.join(', ')} (or admin).`,
    }),
    /** The 503 of routes that reach Temporal. */
    unavailable: {
      description: 'Temporal unreachable; retry later (events: with the same id)',
      headers: retryAfter,
      content: { 'application/problem+json': { schema: problem } },
    },
  };
}

export type OpenApiHelpers = ReturnType<typeof openApiHelpers>;
