import { HttpException } from '@nestjs/common';
import type { ZodError } from 'zod';
import type { ErrorKind } from '../metrics/metrics.service';

export type ProblemField = { path: string; message: string };

/** The RFC 9457 body every error of the gateway has. */
export type ProblemBody = {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: ProblemField[];
};

export const PROBLEM_BASE = 'https://kairos.dev/problems/';

/** An RFC 9457 problem. `type` is a stable code a client can switch on. */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    title: string,
    detail: string,
    readonly errors?: ProblemField[],
    readonly headers: Record<string, string> = {},
  ) {
    super({ type: `${PROBLEM_BASE}${code}`, title, status, detail, ...(errors ? { errors } : {}) }, status);
  }

  get body(): ProblemBody {
    return this.getResponse() as ProblemBody;
  }
}

/** Every failing field of a zod error, as `{path, message}` with dot paths. */
export function zodFields(error: ZodError, prefix: (string | number)[] = []): ProblemField[] {
  return error.issues.map((issue) => {
    const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p.description) : p))];
    return { path: path.length ? path.map(String).join('.') : '(body)', message: issue.message };
  });
}

export function validationProblem(
  error: ZodError,
  what = 'Request body',
  prefix: (string | number)[] = [],
): ProblemException {
  const fields = zodFields(error, prefix);
  return new ProblemException(
    400,
    'validation',
    `${what} is invalid`,
    `${fields.length} field(s) failed validation: ${fields.map((f) => f.path).join(', ')}`,
    fields,
  );
}

export function temporalUnavailable(retryAfterS: number, what: string, err: unknown): ProblemException {
  return new ProblemException(
    503,
    'temporal-unavailable',
    'Temporal is unreachable',
    `${what} (${err instanceof Error ? err.message.slice(0, 200) : String(err)}); retry later${what.startsWith('The event') ? ' with the same id' : ''}.`,
    undefined,
    { 'retry-after': String(retryAfterS) },
  );
}

/** The metrics kind of a problem code. */
export function errorKindOf(code: string, status: number): ErrorKind {
  switch (code) {
    case 'validation':
      return 'validation';
    case 'invalid-json':
      return 'invalid_json';
    case 'unauthorized':
    case 'invalid-signature':
      return 'unauthorized';
    case 'forbidden':
      return 'forbidden';
    case 'not-found':
    case 'no-journey':
    case 'customer-not-found':
      return 'not_found';
    case 'body-too-large':
      return 'body_too_large';
    case 'unsupported-media-type':
      return 'unsupported_media_type';
    case 'rate-limited':
      return 'rate_limited';
    case 'temporal-unavailable':
      return 'temporal_unavailable';
    case 'journey-unavailable':
      return 'journey_unavailable';
    case 'database-unavailable':
      return 'database';
    default:
      return status >= 500 ? 'internal' : 'other';
  }
}
