import { Body, Controller, Headers, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { AuthedRequest } from '../auth/api-key.guard';
import { Scopes } from '../auth/scopes.decorator';
import { ProblemException, type ProblemBody } from '../common/problem';
import { EventsService, type BatchItemResult, type EventResult } from '../events/events.service';
import { MetricsService } from '../metrics/metrics.service';
import { cloudEventToEvent, fromBinary, type Mapped } from './cloudevent.mapper';
import { CE_BATCH, CE_BATCH_MAX, CE_STRUCTURED } from './cloudevent.schema';

type HeaderMap = Record<string, string | string[] | undefined>;

/** The 400 of one refused CloudEvent, every failing attribute listed. */
function invalid(errors: (Mapped & { ok: false })['errors']): ProblemBody {
  return {
    type: 'https://kairos.dev/problems/validation',
    title: 'CloudEvent is invalid',
    status: 400,
    detail: `${errors.length} attribute(s) failed validation: ${errors.map((e) => e.path).join(', ')}`,
    errors,
  };
}

function mediaType(headers: HeaderMap): string {
  const value = headers['content-type'];
  return (typeof value === 'string' ? (value.split(';')[0] ?? '') : '').trim().toLowerCase();
}

/**
 * CloudEvents 1.0 over HTTP (docs/ingestion.md): binary, structured and batch content modes
 * on one URL, told apart by Content-Type as the HTTP binding says. Every mode maps through
 * cloudEventToEvent and is accepted by EventsService, limits, dedupe and all.
 */
@Controller('v1/cloudevents')
@Scopes('events:write')
export class CloudEventsController {
  constructor(
    private readonly events: EventsService,
    private readonly metrics: MetricsService,
  ) {}

  @Post()
  @HttpCode(202)
  async ingest(
    @Body() body: unknown,
    @Headers() headers: HeaderMap,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EventResult | { results: BatchItemResult[] }> {
    const type = mediaType(headers);
    if (type === CE_BATCH) return this.batch(body, req, reply);
    const mapped = cloudEventToEvent(type === CE_STRUCTURED ? body : fromBinary(headers, body));
    if (!mapped.ok) {
      const problem = invalid(mapped.errors);
      throw new ProblemException(400, 'validation', problem.title, problem.detail, problem.errors);
    }
    return this.events.accept(mapped.event, req.id, req.apiKey?.id);
  }

  /** A JSON array of CloudEvents: 200 with one result per item, in order, like /v1/events/batch. */
  private async batch(
    body: unknown,
    req: AuthedRequest,
    reply: FastifyReply,
  ): Promise<{ results: BatchItemResult[] }> {
    if (!Array.isArray(body) || body.length > CE_BATCH_MAX) {
      const message = Array.isArray(body)
        ? `must hold at most ${CE_BATCH_MAX} events`
        : 'must be a JSON array of CloudEvents';
      throw new ProblemException(400, 'validation', 'Request body is invalid', `(body): ${message}`, [
        { path: '(body)', message },
      ]);
    }
    const mapped = body.map((item) => cloudEventToEvent(item));
    const valid = mapped.flatMap((m) => (m.ok ? [m.event] : []));
    const accepted = await this.events.acceptBatch(valid, req.id, req.apiKey?.id);
    // acceptBatch answers the valid items in the order given; put them back at their places.
    let next = 0;
    const results = mapped.map((m, index): BatchItemResult => {
      if (m.ok) return { ...(accepted[next++] as BatchItemResult), index };
      // Counted as acceptBatch counts the items it refuses itself.
      this.metrics.events.inc({ status: 'rejected' });
      this.metrics.error('validation');
      return { index, id: null, status: 'rejected', error: invalid(m.errors) };
    });
    // Tell the client when to retry the items refused for capacity (429) or Temporal (503).
    const retryAfter = Math.max(
      0,
      ...results.map((r) => (r.status === 'rejected' ? (r.retryAfter ?? 0) : 0)),
    );
    if (retryAfter > 0) void reply.header('retry-after', String(retryAfter));
    void reply.code(200);
    return { results };
  }
}
