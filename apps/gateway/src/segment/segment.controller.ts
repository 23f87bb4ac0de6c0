import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { Scopes, WriteKeyAuth } from '../auth/scopes.decorator';
import type { AuthedRequest } from '../auth/api-key.guard';
import type { RawBodyRequest } from '../common/json-body';
import { PROBLEM_BASE, ProblemException, type ProblemBody } from '../common/problem';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import {
  SEGMENT_BATCH_LIMIT,
  SEGMENT_MESSAGE_LIMIT,
  SegmentBatchSchema,
  type SegmentBatch,
  type SegmentType,
} from './segment.schema';
import { SegmentService, type SegmentOutcome } from './segment.service';

type Request = AuthedRequest & RawBodyRequest;

/** Segment's answer: clients (analytics-node, rudder-sdk-node) only read the status. */
export type SegmentReply = { success: true; rejected?: Extract<SegmentOutcome, { status: 'rejected' }>[] };

function problem(body: ProblemBody, retryAfter?: number): ProblemException {
  return new ProblemException(
    body.status,
    body.type.slice(PROBLEM_BASE.length),
    body.title,
    body.detail ?? body.title,
    body.errors,
    retryAfter ? { 'retry-after': String(retryAfter) } : {},
  );
}

/** Segment, like Kairos elsewhere, answers an oversized request 400 (not 413). */
function refuseLarger(req: Request, limit: number, what: string): void {
  if ((req.rawBody?.length ?? 0) <= limit) return;
  throw new ProblemException(
    400,
    'body-too-large',
    `${what} is too large`,
    `${what} must be at most ${limit / 1024} KB of JSON; this one has ${req.rawBody?.length} bytes.`,
  );
}

/**
 * Segment's HTTP tracking API (docs/ingestion.md): `/v1/{track,identify,page,screen,group,alias}`
 * and `/v1/batch`. One Segment write key is one Kairos key: `events:write` is enough for every
 * call, identify and group included.
 */
@Controller('v1')
@Scopes('events:write')
@WriteKeyAuth()
export class SegmentController {
  constructor(private readonly segment: SegmentService) {}

  /** Up to 500 KB of messages: 200 unless a message must be retried (429/503: send the batch again). */
  @Post('batch')
  @HttpCode(200)
  async batch(
    @Body(new ZodValidationPipe(SegmentBatchSchema, 'Segment batch')) body: SegmentBatch,
    @Req() req: Request,
  ): Promise<SegmentReply> {
    refuseLarger(req, SEGMENT_BATCH_LIMIT, 'A Segment batch');
    const outcomes = await this.segment.ingest(body.batch, {
      batchSentAt: body.sentAt ?? null,
      requestId: req.id,
      ...(req.apiKey ? { keyId: req.apiKey.id } : {}),
    });
    const rejected = outcomes.filter((o) => o.status === 'rejected');
    const retry = rejected.filter((o) => o.error.status === 429 || o.error.status >= 500);
    // Accepted messages dedupe by messageId, so the SDK's retry of the whole batch is safe.
    if (retry.length > 0) throw problem(retry[0]!.error, Math.max(...retry.map((o) => o.retryAfter ?? 0)));
    return rejected.length > 0 ? { success: true, rejected } : { success: true };
  }

  @Post('track')
  @HttpCode(200)
  track(@Body() body: unknown, @Req() req: Request): Promise<SegmentReply> {
    return this.single('track', body, req);
  }

  @Post('identify')
  @HttpCode(200)
  identify(@Body() body: unknown, @Req() req: Request): Promise<SegmentReply> {
    return this.single('identify', body, req);
  }

  @Post('page')
  @HttpCode(200)
  page(@Body() body: unknown, @Req() req: Request): Promise<SegmentReply> {
    return this.single('page', body, req);
  }

  @Post('screen')
  @HttpCode(200)
  screen(@Body() body: unknown, @Req() req: Request): Promise<SegmentReply> {
    return this.single('screen', body, req);
  }

  @Post('group')
  @HttpCode(200)
  group(@Body() body: unknown, @Req() req: Request): Promise<SegmentReply> {
    return this.single('group', body, req);
  }

  @Post('alias')
  @HttpCode(200)
  alias(@Body() body: unknown, @Req() req: Request): Promise<SegmentReply> {
    return this.single('alias', body, req);
  }

  /** One message of the type named by the path: 200, or the message's problem (400, 429, 503). */
  private async single(type: SegmentType, body: unknown, req: Request): Promise<SegmentReply> {
    refuseLarger(req, SEGMENT_MESSAGE_LIMIT, 'A Segment message');
    const [outcome] = await this.segment.ingest([body], {
      type,
      requestId: req.id,
      ...(req.apiKey ? { keyId: req.apiKey.id } : {}),
    });
    if (outcome?.status === 'rejected') throw problem(outcome.error, outcome.retryAfter);
    return { success: true };
  }
}
