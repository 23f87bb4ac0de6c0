import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { EventsModule } from '../events/events.module';
import { MetricsModule } from '../metrics/metrics.module';
import { acceptCloudEventBodies } from './cloudevents-body';
import { CloudEventsController } from './cloudevents.controller';

/** CloudEvents 1.0 ingestion (POST /v1/cloudevents): binary, structured and batch content modes. */
@Module({
  imports: [EventsModule, MetricsModule],
  controllers: [CloudEventsController],
})
export class CloudEventsModule implements OnModuleInit {
  constructor(private readonly host: HttpAdapterHost) {}

  /** Before the server starts (fastify refuses new parsers after): this module's body types. */
  onModuleInit(): void {
    acceptCloudEventBodies(this.host.httpAdapter.getInstance<FastifyInstance>());
  }
}
