import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { DatabaseModule } from '../database/database.module';
import { ImportController } from './import.controller';
import { ImportService } from './import.service';
import { passNdjsonThrough } from './ndjson-body';

/** History import: NDJSON events stored for reports and backtests, no journey signalled. */
@Module({
  imports: [DatabaseModule],
  controllers: [ImportController],
  providers: [ImportService],
})
export class ImportModule implements OnModuleInit {
  constructor(private readonly adapter: HttpAdapterHost) {}

  /** Before the server is ready (fastify refuses parsers after): the route's body type. */
  onModuleInit(): void {
    passNdjsonThrough(this.adapter.httpAdapter.getInstance<FastifyInstance>());
  }
}
