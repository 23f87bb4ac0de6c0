import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { TemporalModule } from '../temporal/temporal.module';
import { TrackingController } from './tracking.controller';
import { TrackingService } from './tracking.service';

/** Open pixels and click redirects of rendered messages. */
@Module({
  imports: [DatabaseModule, TemporalModule],
  controllers: [TrackingController],
  providers: [TrackingService],
})
export class TrackingModule {}
