import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Scopes } from '../auth/scopes.decorator';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import type { z } from 'zod';
import {
  EscalationAckSchema,
  EscalationIdSchema,
  EscalationListQuerySchema,
  type EscalationAck,
} from './escalations.schema';
import { EscalationsService, type EscalationView } from './escalations.service';

@Controller('v1/escalations')
export class EscalationsController {
  constructor(private readonly escalations: EscalationsService) {}

  /** GET /v1/escalations?status=open[&customerId=] */
  @Get()
  @Scopes('journeys:read')
  async list(
    @Query(new ZodValidationPipe(EscalationListQuerySchema))
    query: z.output<typeof EscalationListQuerySchema>,
  ): Promise<{ escalations: EscalationView[] }> {
    return { escalations: await this.escalations.list(query) };
  }

  /**
   * 202 `signalled` (the journey records it) or `acked` (no journey runs any more); 409 when not
   * open. Nest runs the last parameter's pipe first: a bad body is the answer when both are bad.
   */
  @Post(':id/ack')
  @HttpCode(202)
  @Scopes('customers:write')
  async ack(
    @Param('id', new ZodValidationPipe(EscalationIdSchema, 'Escalation id')) id: string,
    @Body(new ZodValidationPipe(EscalationAckSchema)) body: EscalationAck,
  ): Promise<{ id: string; status: 'signalled' | 'acked' }> {
    return this.escalations.ack(id, body);
  }
}
