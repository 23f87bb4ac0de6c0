import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Scopes } from '../auth/scopes.decorator';
import { validationProblem } from '../common/problem';
import { EscalationAckSchema, EscalationListQuerySchema } from './escalations.schema';
import { EscalationsService, type EscalationView } from './escalations.service';

@Controller('v1/escalations')
export class EscalationsController {
  constructor(private readonly escalations: EscalationsService) {}

  /** GET /v1/escalations?status=open[&customerId=] */
  @Get()
  @Scopes('journeys:read')
  async list(@Query() query: unknown): Promise<{ escalations: EscalationView[] }> {
    const parsed = EscalationListQuerySchema.safeParse(query ?? {});
    if (!parsed.success) throw validationProblem(parsed.error, 'Query');
    return { escalations: await this.escalations.list(parsed.data) };
  }

  /** 202 `signalled` (the journey records it) or `acked` (no journey runs any more); 409 when not open. */
  @Post(':id/ack')
  @HttpCode(202)
  @Scopes('customers:write')
  async ack(
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<{ id: string; status: 'signalled' | 'acked' }> {
    const parsed = EscalationAckSchema.safeParse(body);
    if (!parsed.success) throw validationProblem(parsed.error);
    return this.escalations.ack(id, parsed.data);
  }
}
