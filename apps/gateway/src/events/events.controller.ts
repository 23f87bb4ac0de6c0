import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EventBatchSchema, EventSchema } from '@kairos/events';
import { Scopes } from '../auth/scopes.decorator';
import { validationProblem } from '../common/problem';
import { EventsService, type BatchItemResult, type EventResult } from './events.service';

@Controller('v1/events')
@Scopes('events:write')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  /** One event: 202 once Temporal accepted it (or it is a duplicate / ignored). */
  @Post()
  @HttpCode(202)
  async ingest(@Body() body: unknown, @Req() req: FastifyRequest): Promise<EventResult> {
    const parsed = EventSchema.safeParse(body);
    if (!parsed.success) throw validationProblem(parsed.error);
    return this.events.accept(parsed.data, req.id);
  }

  /** Up to 500 events: 200 with one result per item, in order. */
  @Post('batch')
  @HttpCode(200)
  async batch(
    @Body() body: unknown,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ results: BatchItemResult[] }> {
    const parsed = EventBatchSchema.safeParse(body);
    if (!parsed.success) throw validationProblem(parsed.error);
    const results = await this.events.acceptBatch(parsed.data.events, req.id);
    // Tell the client when to retry the items refused for capacity (429) or Temporal (503).
    const retryAfter = results.reduce(
      (max, r) => (r.status === 'rejected' && r.retryAfter ? Math.max(max, r.retryAfter) : max),
      0,
    );
    if (retryAfter > 0) void reply.header('retry-after', String(retryAfter));
    return { results };
  }
}
