import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ProblemException } from '../common/problem';

export const NDJSON = 'application/x-ndjson';

/** A request whose NDJSON body was left unread for its handler to stream. */
export type NdjsonRequest = FastifyRequest & { ndjsonBody?: Readable };

/**
 * Lets `application/x-ndjson` bodies through unread: the import route streams them (100,000
 * lines do not fit the 1 MiB JSON limit, and need not sit in memory at once). The stream is the
 * one fastify hands to parsers, i.e. after any preParsing hook (such as a gunzip); the body
 * itself stays `undefined` for hooks and pipes.
 */
export function passNdjsonThrough(fastify: FastifyInstance): void {
  if (fastify.hasContentTypeParser(NDJSON)) return;
  fastify.addContentTypeParser(NDJSON, (request: NdjsonRequest, payload, done) => {
    request.ndjsonBody = payload;
    done(null, undefined);
  });
}

/**
 * The body as bytes, gunzipped when sent with `Content-Encoding: gzip` and no hook has done so
 * already (a stream other than the raw request is one a preParsing hook decoded).
 */
export function decodedBody(req: NdjsonRequest): AsyncIterable<Buffer> {
  const raw: IncomingMessage = req.raw;
  const payload = req.ndjsonBody ?? raw;
  if (payload !== raw) return payload;
  const coding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (coding === 'identity') return raw;
  if (coding !== 'gzip' && coding !== 'x-gzip') {
    throw new ProblemException(
      415,
      'unsupported-encoding',
      'Content-Encoding not supported',
      `Send the body as is or with "Content-Encoding: gzip" (got "${coding}").`,
    );
  }
  // Not pipeline(): it would destroy the request when reading stops early, and a refused body
  // must stay readable so drain() can let the client see the answer.
  const gunzip = createGunzip();
  raw.on('error', (err) => gunzip.destroy(err));
  return raw.pipe(gunzip);
}

/** A body that could not be read as gzip: the sender's fault, not a server error. */
export function unreadableBody(err: unknown): ProblemException | null {
  const code = (err as { code?: unknown } | null)?.code;
  const gzip =
    typeof code === 'string' && (code.startsWith('Z_') || code === 'FST_ERR_CTP_INVALID_GZIP_BODY');
  if (!gzip) return null;
  return new ProblemException(
    400,
    'invalid-gzip',
    'Body is not valid gzip',
    `The body was sent with "Content-Encoding: gzip" but could not be decompressed (${String((err as Error).message)}); nothing was imported.`,
  );
}

/** Reads and discards what is left of a refused body (up to `maxBytes`), so the client sees the answer. */
export async function drain(raw: Readable, maxBytes: number): Promise<void> {
  let seen = 0;
  try {
    for await (const chunk of raw) {
      seen += (chunk as Buffer).length;
      if (seen > maxBytes) break;
    }
  } catch {
    // A client that went away has nothing left to read.
  }
}
