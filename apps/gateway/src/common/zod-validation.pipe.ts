import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { validationProblem } from './problem';

/** What the problem's title names when the caller does not say. */
const PART_NAMES: Record<ArgumentMetadata['type'], string> = {
  body: 'Request body',
  query: 'Query',
  param: 'Path parameter',
  custom: 'Request',
};

/**
 * The one way a request body, query or path parameter is validated: the value is parsed by a
 * zod schema, and a failure is the 400 `validation` problem of docs/api.md §1, every failing
 * field listed. A path parameter's fields are prefixed by its name (`customerId`), so a client
 * sees which part of the URL was wrong. Batch endpoints validate only the envelope here; their
 * items are validated one by one by the service, so one bad item never rejects the others.
 */
@Injectable()
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    private readonly schema: S,
    /** Overrides the title's subject, e.g. "Customer id" for "Customer id is invalid". */
    private readonly what?: string,
  ) {}

  transform(value: unknown, metadata: ArgumentMetadata): z.output<S> {
    // A request without a query string still has a query: all its fields absent.
    const input = metadata.type === 'query' ? (value ?? {}) : value;
    const parsed = this.schema.safeParse(input);
    if (parsed.success) return parsed.data;
    const prefix = metadata.type === 'param' && metadata.data ? [metadata.data] : [];
    throw validationProblem(parsed.error, this.what ?? PART_NAMES[metadata.type], prefix);
  }
}
