import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ProblemException } from './problem';

/** Renders every error as application/problem+json (RFC 9457); never leaks internals on 5xx. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    let status = 500;
    let body: Record<string, unknown> = {
      type: 'https://kairos.dev/problems/internal',
      title: 'Internal error',
      status,
      detail: 'An unexpected error occurred; it has been logged.',
    };
    if (exception instanceof ProblemException) {
      status = exception.getStatus();
      body = exception.getResponse() as Record<string, unknown>;
      for (const [k, v] of Object.entries(exception.headers)) void reply.header(k, v);
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      const res = exception.getResponse();
      const message = typeof res === 'string' ? res : ((res as { message?: unknown }).message ?? exception.message);
      body = {
        type: `https://kairos.dev/problems/http-${status}`,
        title: exception.name.replace(/Exception$/, ''),
        status,
        detail: Array.isArray(message) ? message.join('; ') : String(message),
      };
    } else if (isFastifyError(exception)) {
      status = exception.statusCode;
      body = { type: `https://kairos.dev/problems/${exception.code}`, title: exception.code, status, detail: exception.message };
    } else {
      process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'unhandled', err: String(exception) })}\n`);
    }
    void reply.status(status).header('content-type', 'application/problem+json').send(body);
  }
}

function isFastifyError(e: unknown): e is { statusCode: number; code: string; message: string } {
  return typeof e === 'object' && e !== null && typeof (e as { statusCode?: unknown }).statusCode === 'number' && typeof (e as { code?: unknown }).code === 'string';
}
