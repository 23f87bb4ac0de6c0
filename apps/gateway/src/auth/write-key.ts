import type { FastifyRequest } from 'fastify';

const BASIC = /^Basic\s+([A-Za-z0-9+/=]{1,1024})\s*$/i;

/**
 * The API key of a Segment-style request: HTTP Basic's user name (what @segment/analytics-node
 * and @rudderstack/rudder-sdk-node send: `base64(key + ":")`), else a `writeKey` in the body.
 * Null when neither is there; the Bearer header is read by the guard itself.
 */
export function writeKeyOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const basic = typeof header === 'string' ? BASIC.exec(header) : null;
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const user = decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : decoded;
    return user.length > 0 && user.length <= 512 ? user : null;
  }
  const body = request.body as { writeKey?: unknown } | null | undefined;
  const key = typeof body === 'object' && body !== null ? body.writeKey : undefined;
  return typeof key === 'string' && key.length > 0 && key.length <= 512 ? key : null;
}
