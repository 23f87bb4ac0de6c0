import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { MetricsModule } from '../metrics/metrics.module';
import { TemporalModule } from '../temporal/temporal.module';
import { TriggersModule } from '../triggers/triggers.module';
import { VolumeService } from '../volume/volume.service';
import { EventRecorderService } from './event-recorder.service';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { RateLimitService } from './rate-limit.service';

/** Event ingestion: validation, limits, volume counting, recording and the journey signal. */
@Module({
  imports: [DatabaseModule, MetricsModule, TemporalModule, TriggersModule],
  controllers: [EventsController],
  providers: [EventsService, EventRecorderService, RateLimitService, VolumeService],
  // Other ways in (ingestion adapters) accept events through the same service, limits and all.
  exports: [EventsService],
})
export class EventsModule {}
