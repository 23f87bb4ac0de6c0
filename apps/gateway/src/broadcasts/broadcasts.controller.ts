import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { AuthedRequest } from '../auth/api-key.guard';
import { Scopes } from '../auth/scopes.decorator';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import {
  BroadcastIdSchema,
  BroadcastRequestSchema,
  type BroadcastRequest,
  type BroadcastView,
} from './broadcasts.schema';
import { BroadcastsService } from './broadcasts.service';

@Controller('v1/broadcasts')
export class BroadcastsController {
  constructor(private readonly broadcasts: BroadcastsService) {}

  /** 202 once stored and its workflow started; a repeat of the same request is `duplicate`. */
  @Post()
  @HttpCode(202)
  @Scopes('broadcasts:write')
  async create(
    @Body(new ZodValidationPipe(BroadcastRequestSchema)) body: BroadcastRequest,
    @Req() req: AuthedRequest,
  ): Promise<BroadcastView & { status: 'accepted' | 'duplicate' }> {
    return this.broadcasts.create(body, req.apiKey?.id);
  }

  @Get(':id')
  @Scopes('broadcasts:write', 'journeys:read')
  async get(
    @Param('id', new ZodValidationPipe(BroadcastIdSchema, 'Broadcast id')) id: string,
  ): Promise<BroadcastView> {
    return this.broadcasts.get(id);
  }

  /** 202: the workflow is asked to stop; `state` turns `cancelled` once it has. 409 when finished. */
  @Post(':id/cancel')
  @HttpCode(202)
  @Scopes('broadcasts:write')
  async cancel(
    @Param('id', new ZodValidationPipe(BroadcastIdSchema, 'Broadcast id')) id: string,
  ): Promise<BroadcastView> {
    return this.broadcasts.cancel(id);
  }
}
