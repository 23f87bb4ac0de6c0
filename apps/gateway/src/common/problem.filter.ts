import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MetricsService } from '../metrics/metrics.service';
import { errorKindOf, PROBLEM_BASE, ProblemException, type ProblemBody } from './problem';

type Rendered = { status: number; body: ProblemBody; headers: Record<string, string> };

/** Fastify's own errors (body parsing, limits) as problems with stable codes. */
function fastifyProblem(e: { statusCode: number; code: string; message: string }): Rendered {
  const map: Record<string, [string, string]> = {
    FST_ERR_CTP_BODY_TOO_LARGE: ['body-too-large', 'Request body is larger than 1 MiB'],
    FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported-media-type', 'Request body must be application/json'],
    FST_ERR_CTP_INVALID_JSON_BODY: ['invalid-json', 'Request body is not valid JSON'],
    FST_ERR_CTP_EMPTY_JSON_BODY: ['invalid-json', 'Request body is empty'],
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['invalid-content-length', 'Content-Length does not match the body'],
    // gzip-body.ts: a Content-Encoding: gzip body that does not inflate.
    FST_ERR_CTP_INVALID_GZIP_BODY: ['invalid-gzip', 'Request body is not valid gzip'],
  };
  let [code, title] = map[e.code] ?? [e.code.toLowerCase(), 'Bad request'];
  if (e.statusCode === 400 && e.message.includes('JSON') && !map[e.code])
    [code, title] = ['invalid-json', 'Request body is not valid JSON'];
  const status = e.statusCode >= 400 && e.statusCode < 600 ? e.statusCode : 400;
  return { status, body: { type: `${PROBLEM_BASE}${code}`, title, status, detail: e.message }, headers: {} };
}

/** Turns anything thrown into a problem (RFC 9457); never leaks internals on 5xx. */
export function renderProblem(exception: unknown): Rendered & { unexpected: boolean } {
  if (exception instanceof ProblemException) {
    return {
      status: exception.getStatus(),
      body: exception.body,
      headers: exception.headers,
      unexpected: false,
    };
  }
  if (exception instanceof HttpException) {
    // Fastify's own errors (body limit, media type, JSON syntax) reach here re-thrown by Nest as
    // plain HttpExceptions: give them stable problem codes by status.
    const status = exception.getStatus();
    const res = exception.getResponse();
    const message =
      typeof res === 'string' ? res : ((res as { message?: unknown }).message ?? exception.message);
    const detail = Array.isArray(message)
      ? message.join('; ')
      : typeof message === 'string'
        ? message
        : exception.message;
    const [code, title] =
      status === 404
        ? ['not-found', 'Not found']
        : status === 413
          ? ['body-too-large', 'Request body is larger than 1 MiB']
          : status === 415
            ? ['unsupported-media-type', 'Request body must be application/json']
            : status === 400 && /JSON|body/i.test(detail)
              ? ['invalid-json', 'Request body is not valid JSON']
              : [
                  `http-${status}`,
                  exception.name.replace(/Exception$/, '').replace(/([a-z])([A-Z])/g, '$1 $2'),
                ];
    return {
      status,
      body: { type: `${PROBLEM_BASE}${code}`, title, status, detail },
      headers: {},
      unexpected: false,
    };
  }
  if (isFastifyError(exception)) return { ...fastifyProblem(exception), unexpected: false };
  return {
    status: 500,
    body: {
      type: `${PROBLEM_BASE}internal`,
      title: 'Internal error',
      status: 500,
      detail: 'An unexpected error occurred; it has been logged.',
    },
    headers: {},
    unexpected: true,
  };
}

/** Sends a rendered problem and counts it by kind. */
export function sendProblem(
  exception: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  metrics: MetricsService,
): void {
  const p = renderProblem(exception);
  const code = p.body.type.slice(PROBLEM_BASE.length);
  metrics.error(errorKindOf(code, p.status));
  if (p.unexpected) request.log.error({ err: exception }, 'unhandled error');
  else if (p.status >= 500) request.log.warn({ problem: code, detail: p.body.detail }, 'request failed');
  for (const [k, v] of Object.entries(p.headers)) void reply.header(k, v);
  void reply.status(p.status).header('content-type', 'application/problem+json').send(p.body);
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly metrics: MetricsService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), this.metrics);
  }
}

function isFastifyError(e: unknown): e is { statusCode: number; code: string; message: string } {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { statusCode?: unknown }).statusCode === 'number' &&
    typeof (e as { code?: unknown }).code === 'string'
  );
}
