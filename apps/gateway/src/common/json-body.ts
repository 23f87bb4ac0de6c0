import type { FastifyInstance, FastifyRequest } from 'fastify';

/** A request whose JSON body bytes were kept, as received (what a signature is computed over). */
export type RawBodyRequest = FastifyRequest & { rawBody?: Buffer };

/**
 * Replaces fastify's JSON parser by the same parser (same errors, same prototype-poisoning
 * rules) that also keeps the bytes on `request.rawBody`: an HMAC over a re-serialised body
 * would not match what the sender signed.
 */
export function keepRawJsonBodies(fastify: FastifyInstance, bodyLimit: number): void {
  const { onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
  const parse = fastify.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit },
    (request: RawBodyRequest, body: Buffer, done) => {
      request.rawBody = body;
      // The default parser answers through `done`; nothing to await.
      void parse(request, body.toString('utf8'), done);
    },
  );
}
