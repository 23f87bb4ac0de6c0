import { errorCodes, type FastifyInstance } from 'fastify';
import type { RawBodyRequest } from '../common/json-body';

/** The Segment-compatible routes (segment.controller.ts). */
export const SEGMENT_PATHS: ReadonlySet<string> = new Set(
  ['track', 'identify', 'page', 'screen', 'group', 'alias', 'batch'].map((t) => `/v1/${t}`),
);

const FORM = 'application/x-www-form-urlencoded';

/**
 * @rudderstack/rudder-sdk-node posts its gzipped JSON batch labelled
 * `application/x-www-form-urlencoded` (axios' default for a Buffer body); RudderStack's own server
 * reads it as JSON. So do the Segment routes, and only them: everywhere else that media type stays
 * a 415 (docs/api.md §1). Same JSON parser and raw-body capture as json-body.ts.
 */
export function acceptSegmentFormBodies(fastify: FastifyInstance, bodyLimit: number): void {
  const { onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
  const parse = fastify.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error');
  fastify.addContentTypeParser(
    FORM,
    { parseAs: 'buffer', bodyLimit },
    (request: RawBodyRequest, body: Buffer, done) => {
      if (!SEGMENT_PATHS.has(request.routeOptions.url ?? '')) {
        done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(FORM), undefined);
        return;
      }
      request.rawBody = body;
      void parse(request, body.toString('utf8'), done);
    },
  );
}
