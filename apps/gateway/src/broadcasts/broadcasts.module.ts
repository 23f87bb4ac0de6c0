import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { TemporalModule } from '../temporal/temporal.module';
import { BroadcastsController } from './broadcasts.controller';
import { BroadcastsService } from './broadcasts.service';

/** `/v1/broadcasts`: one external event fanned out to an audience by a workflow (docs/api.md "Broadcasts"). */
@Module({
  imports: [DatabaseModule, TemporalModule],
  controllers: [BroadcastsController],
  providers: [BroadcastsService],
})
export class BroadcastsModule {}
