import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { TriggersModule } from '../triggers/triggers.module';
import { JourneyClient } from './journey.client';
import { TemporalService } from './temporal.service';

/** The one Temporal connection and the journey client over it (signals, queries, starts). */
@Module({
  imports: [MetricsModule, TriggersModule],
  providers: [TemporalService, JourneyClient],
  exports: [TemporalService, JourneyClient],
})
export class TemporalModule {}
