import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { MetricsModule } from '../metrics/metrics.module';
import { TemporalModule } from '../temporal/temporal.module';
import { FeedbackController } from './feedback.controller';
import { FeedbackService } from './feedback.service';

/** Provider callbacks (signed), stored against their delivery and signalled to the journey. */
@Module({
  imports: [DatabaseModule, MetricsModule, TemporalModule],
  controllers: [FeedbackController],
  providers: [FeedbackService],
})
export class FeedbackModule {}
