import { z } from 'zod';
import { ProblemException } from './problem';
import { ZodValidationPipe } from './zod-validation.pipe';

const Body = z.strictObject({ name: z.string().min(1, 'must not be empty'), n: z.number().default(1) });

/** The problem a pipe threw, or a failure when it did not throw one. */
function problemOf(run: () => unknown): ProblemException {
  try {
    run();
  } catch (err) {
    if (err instanceof ProblemException) return err;
    throw err;
  }
  throw new Error('expected a ProblemException');
}

describe('ZodValidationPipe', () => {
  it('returns the parsed value, defaults applied', () => {
    const pipe = new ZodValidationPipe(Body);
    expect(pipe.transform({ name: 'a' }, { type: 'body' })).toEqual({ name: 'a', n: 1 });
  });

  it('answers an invalid body with the 400 validation problem listing every failing field', () => {
    const pipe = new ZodValidationPipe(Body);
    const problem = problemOf(() => pipe.transform({ name: '', extra: 1 }, { type: 'body' }));
    expect(problem.getStatus()).toBe(400);
    expect(problem.body).toEqual({
      type: 'https://kairos.dev/problems/validation',
      title: 'Request body is invalid',
      status: 400,
      detail: '2 field(s) failed validation: name, (body)',
      errors: [
        { path: 'name', message: 'must not be empty' },
        { path: '(body)', message: expect.stringContaining('extra') },
      ],
    });
  });

  it('names a missing body as (body)', () => {
    const problem = problemOf(() => new ZodValidationPipe(Body).transform(undefined, { type: 'body' }));
    expect(problem.body.errors).toEqual([{ path: '(body)', message: expect.any(String) }]);
  });

  it('reads an absent query as one with no fields, and titles its failures "Query"', () => {
    const Query = z.strictObject({ status: z.enum(['open', 'acked']).optional() });
    const pipe = new ZodValidationPipe(Query);
    expect(pipe.transform(undefined, { type: 'query' })).toEqual({});
    const problem = problemOf(() => pipe.transform({ status: 'x' }, { type: 'query' }));
    expect(problem.body.title).toBe('Query is invalid');
    expect(problem.body.errors).toEqual([{ path: 'status', message: expect.any(String) }]);
  });

  it("lists a path parameter's failures under its name, titled as the caller says", () => {
    const pipe = new ZodValidationPipe(z.string().regex(/^[a-z]+$/, 'must be a customer id'), 'Customer id');
    expect(pipe.transform('abc', { type: 'param', data: 'customerId' })).toBe('abc');
    const problem = problemOf(() => pipe.transform('a b', { type: 'param', data: 'customerId' }));
    expect(problem.body).toEqual({
      type: 'https://kairos.dev/problems/validation',
      title: 'Customer id is invalid',
      status: 400,
      detail: '1 field(s) failed validation: customerId',
      errors: [{ path: 'customerId', message: 'must be a customer id' }],
    });
  });
});
