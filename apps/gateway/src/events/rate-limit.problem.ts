import { ProblemException, type ProblemBody } from '../common/problem';

/** Which limit refused: the client can tell a busy customer from a throttled key or cluster. */
export type LimitName = 'customer' | 'key' | 'global' | 'new-journeys';

/** A 429 body: the usual problem plus `limit` (docs/api.md §3.3). */
export type RateLimitedBody = ProblemBody & { limit: LimitName; limitPerMin: number };

const TITLES: Record<LimitName, string> = {
  customer: 'Too many events for this customer',
  key: 'Too many events for this API key',
  global: 'Too many events for this deployment',
  'new-journeys': 'Too many new journeys',
};

function detail(limit: LimitName, perMin: number, subject: string | undefined, retryAfter: number): string {
  const what =
    limit === 'customer'
      ? `Customer "${subject ?? ''}" exceeded ${perMin} events per minute`
      : limit === 'key'
        ? `The API key "${subject ?? ''}" exceeded ${perMin} events per minute`
        : limit === 'global'
          ? `All keys together exceeded ${perMin} events per minute`
          : `More than ${perMin} customers started a journey this minute; this event would start one`;
  return `${what}; retry after ${retryAfter} s.`;
}

/** 429 `rate-limited` with Retry-After (whole seconds, at least 1) naming the limit. */
export function rateLimited(
  limit: LimitName,
  perMin: number,
  msBeforeNext: number,
  subject?: string,
): ProblemException {
  const retryAfter = Math.max(1, Math.ceil(msBeforeNext / 1000));
  const problem = new ProblemException(
    429,
    'rate-limited',
    TITLES[limit],
    detail(limit, perMin, subject, retryAfter),
    undefined,
    { 'retry-after': String(retryAfter) },
  );
  // The body object is the one rendered (alone, or as a batch item's `error`).
  Object.assign(problem.getResponse() as object, { limit, limitPerMin: perMin });
  return problem;
}
