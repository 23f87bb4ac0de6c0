import { HttpException } from '@nestjs/common';
import type { ZodError } from 'zod';

export type ProblemField = { path: string; message: string };

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
    super({ type: `https://kairos.dev/problems/${code}`, title, status, detail, ...(errors ? { errors } : {}) }, status);
  }
}

/** Every failing field of a zod error, as `{path, message}` with JSON-pointer-like dot paths. */
export function zodFields(error: ZodError): ProblemField[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(body)',
    message: issue.message,
  }));
}

export function validationProblem(error: ZodError): ProblemException {
  const fields = zodFields(error);
  return new ProblemException(
    400,
    'validation',
    'Request body is invalid',
    `${fields.length} field(s) failed validation: ${fields.map((f) => f.path).join(', ')}`,
    fields,
  );
}
