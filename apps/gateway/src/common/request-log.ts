/**
 * What a log line may say about a URL. Query strings can carry API keys (`?key=`) and path
 * segments can be tracking tokens (`/t/c/<token>`): both are bearer secrets, and log files
 * outlive them. So query values are never written, and path parameters whose name says
 * "token", "key", "secret" or "signature" are replaced.
 */

export const REDACTED = '[redacted]';

const SECRET_PARAM = /token|key|secret|signature|password/i;

/** The query string with every value replaced (names kept: they tell which report was asked). */
function redactQuery(query: string): string {
  if (query === '') return '';
  const names = query.split('&').map((part) => part.split('=', 1)[0]!);
  return `?${names.map((name) => (name === '' ? '' : `${name}=${REDACTED}`)).join('&')}`;
}

/**
 * A URL fit for a log line. `route` is the matched route pattern (`/t/c/:token`): segments it
 * names as secret parameters are redacted; an unmatched URL keeps its path (it reached no handler).
 */
export function loggableUrl(url: string, route?: string): string {
  const cut = url.indexOf('?');
  const path = cut === -1 ? url : url.slice(0, cut);
  const query = cut === -1 ? '' : url.slice(cut + 1);
  let safePath = path;
  if (route !== undefined) {
    const pattern = route.split('/');
    const segments = path.split('/');
    if (pattern.length === segments.length)
      safePath = segments
        .map((segment, i) => {
          const name = pattern[i]!;
          return name.startsWith(':') && SECRET_PARAM.test(name) ? REDACTED : segment;
        })
        .join('/');
    else if (pattern.some((name) => name.startsWith(':') && SECRET_PARAM.test(name))) safePath = route;
  }
  return `${safePath}${redactQuery(query)}`;
}

/** pino serializer of `req` (any framework log line that carries the Fastify request). */
export function serializeRequest(req: {
  id?: unknown;
  method?: unknown;
  url?: unknown;
  routeOptions?: { url?: string | undefined };
}): { id: unknown; method: unknown; url: string } {
  const url = typeof req.url === 'string' ? req.url : '';
  return { id: req.id, method: req.method, url: loggableUrl(url, req.routeOptions?.url) };
}
