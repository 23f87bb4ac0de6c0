import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { TemporalModule } from '../temporal/temporal.module';
import { TriggersModule } from '../triggers/triggers.module';
import { BacktestsController } from './backtests.controller';
import { BacktestsService } from './backtests.service';
import { JourneyTraceController } from './journey-trace.controller';

/** `/v1/backtests` and the live journey's trace (docs/api.md §11); loaded ids resolve against the trigger catalog. */
@Module({
  imports: [DatabaseModule, TemporalModule, TriggersModule],
  controllers: [BacktestsController, JourneyTraceController],
  providers: [BacktestsService],
})
export class BacktestsModule {}
