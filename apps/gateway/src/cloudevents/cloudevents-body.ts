import type { FastifyInstance } from 'fastify';
import { CE_BATCH, CE_STRUCTURED } from './cloudevent.schema';

/**
 * Structured and batch mode bodies are JSON under their own media types: parsed by fastify's
 * default JSON parser (same errors, same prototype-poisoning rules, same body limit) so that
 * they are not answered 415. application/json keeps its raw-body parser (common/json-body.ts).
 */
export function acceptCloudEventBodies(fastify: FastifyInstance): void {
  const { onProtoPoisoning, onConstructorPoisoning, bodyLimit } = fastify.initialConfig;
  const parse = fastify.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error');
  for (const type of [CE_STRUCTURED, CE_BATCH])
    if (!fastify.hasContentTypeParser(type))
      fastify.addContentTypeParser(type, { parseAs: 'string', ...(bodyLimit ? { bodyLimit } : {}) }, parse);
}
