import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { EventBatchSchema, EventSchema, type Event } from '@kairos/events';
import { Scopes } from '../auth/scopes.decorator';
import type { AuthedRequest } from '../auth/api-key.guard';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { EventsService, type BatchItemResult, type EventResult } from './events.service';

@Controller('v1/events')
@Scopes('events:write')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  /** One event: 202 once Temporal accepted it (or it is a duplicate / ignored). */
  @Post()
  @HttpCode(202)
  async ingest(
    @Body(new ZodValidationPipe(EventSchema)) event: Event,
    @Req() req: AuthedRequest,
  ): Promise<EventResult> {
    return this.events.accept(event, req.id, req.apiKey?.id);
  }

  /** Up to 500 events: 200 with one result per item, in order. */
  @Post('batch')
  @HttpCode(200)
  async batch(
    // Only the envelope here: each item is validated on its own by acceptBatch.
    @Body(new ZodValidationPipe(EventBatchSchema)) body: z.output<typeof EventBatchSchema>,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ results: BatchItemResult[] }> {
    const results = await this.events.acceptBatch(body.events, req.id, req.apiKey?.id);
    // Tell the client when to retry the items refused for capacity (429) or Temporal (503).
    const retryAfter = results.reduce(
      (max, r) => (r.status === 'rejected' && r.retryAfter ? Math.max(max, r.retryAfter) : max),
      0,
    );
    if (retryAfter > 0) void reply.header('retry-after', String(retryAfter));
    return { results };
  }
}
