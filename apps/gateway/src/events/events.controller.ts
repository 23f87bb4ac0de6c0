import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { EventSchema } from '@kairos/events';
import { validationProblem } from '../common/problem';
import { EventsService, type EventResult } from './events.service';

@Controller('v1/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Post()
  @HttpCode(202)
  async ingest(@Body() body: unknown, @Req() req: FastifyRequest): Promise<EventResult> {
    const parsed = EventSchema.safeParse(body);
    if (!parsed.success) throw validationProblem(parsed.error);
    return this.events.accept(parsed.data, req.id);
  }
}
