import { Controller, Get, Inject, Param } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { customerWorkflowId, journeyTraceQuery, type TraceEntry } from '@kairos/contracts';
import { CustomerIdSchema } from '@kairos/events';
import { Scopes } from '../auth/scopes.decorator';
import { ProblemException, temporalUnavailable } from '../common/problem';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { TemporalService } from '../temporal/temporal.service';
import type { JourneyTrace } from './backtest.schemas';

/** GET /v1/customers/{customerId}/journey/trace (docs/api.md §11): the live journey's recent decisions. */
@Controller('v1/customers')
export class JourneyTraceController {
  constructor(
    private readonly temporal: TemporalService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Get(':customerId/journey/trace')
  @Scopes('journeys:read')
  async trace(
    @Param('customerId', new ZodValidationPipe(CustomerIdSchema, 'Customer id')) customerId: string,
  ): Promise<JourneyTrace> {
    let entries: TraceEntry[];
    try {
      entries = await this.temporal.call(() =>
        this.temporal.client.workflow.getHandle(customerWorkflowId(customerId)).query(journeyTraceQuery),
      );
    } catch (err) {
      if (err instanceof WorkflowNotFoundError)
        throw new ProblemException(
          404,
          'no-journey',
          'No journey',
          `Customer "${customerId}" has no journey (no relevant event was accepted yet).`,
        );
      if (!(await this.temporal.isReady()))
        throw temporalUnavailable(this.config.retryAfterS, 'The journey could not be read', err);
      throw new ProblemException(
        503,
        'journey-unavailable',
        'Journey did not answer',
        `The journey trace query failed (${err instanceof Error ? err.message.slice(0, 200) : String(err)}); is a worker running on task queue "${this.config.taskQueue}"?`,
        undefined,
        { 'retry-after': String(this.config.retryAfterS) },
      );
    }
    return { customerId, entries: entries.map((e) => ({ ...e, at: new Date(e.at).toISOString() })) };
  }
}
