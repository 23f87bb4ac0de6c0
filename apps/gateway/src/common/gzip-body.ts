import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

/** A client error fastify's body reader passes on as is (status and code kept). */
function bodyError(statusCode: number, code: string, message: string): Error {
  return Object.assign(new Error(message), { statusCode, code });
}

/**
 * Accepts `Content-Encoding: gzip` request bodies on every route (SDKs such as
 * @rudderstack/rudder-sdk-node compress by default). The body is gunzipped before any content-type
 * parser, so the raw bytes kept for signatures (json-body.ts) are the JSON itself, and the body
 * limit applies to the inflated size: a small compressed body cannot expand past it. Any other
 * encoding is refused (415) rather than parsed as garbage.
 */
export function acceptGzipBodies(fastify: FastifyInstance): void {
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = request.headers['content-encoding']?.trim().toLowerCase();
    if (!encoding || encoding === 'identity') return payload;
    if (encoding !== 'gzip' && encoding !== 'x-gzip')
      throw bodyError(
        415,
        'FST_ERR_CTP_INVALID_MEDIA_TYPE',
        `Content-Encoding "${encoding}" is not supported: send the body uncompressed or gzip`,
      );
    const gunzip = createGunzip();
    // Fastify compares Content-Length with the bytes received: the compressed ones.
    const inflated = gunzip as typeof gunzip & { receivedEncodedLength: number };
    inflated.receivedEncodedLength = 0;
    payload.on('data', (chunk: Buffer) => {
      inflated.receivedEncodedLength += chunk.length;
    });
    payload.on('error', (err) => gunzip.destroy(err));
    gunzip.on('error', (err: Error & { statusCode?: number; code?: string }) => {
      // Corrupt or truncated gzip data is the client's fault, not an internal error.
      if (err.statusCode === undefined) {
        err.statusCode = 400;
        err.message = `The gzip body could not be inflated: ${err.message}`;
        err.code = 'FST_ERR_CTP_INVALID_GZIP_BODY';
      }
    });
    return (payload as Readable).pipe(gunzip);
  });
}
