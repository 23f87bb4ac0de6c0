import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { TemporalModule } from '../temporal/temporal.module';
import { BacktestsController } from './backtests.controller';
import { BacktestsService } from './backtests.service';
import { JourneyTraceController } from './journey-trace.controller';
import { LoadedTriggersService } from './loaded-triggers.service';

/** `/v1/backtests` and the live journey's trace (docs/api.md §11). */
@Module({
  imports: [DatabaseModule, TemporalModule],
  controllers: [BacktestsController, JourneyTraceController],
  providers: [BacktestsService, LoadedTriggersService],
})
export class BacktestsModule {}
