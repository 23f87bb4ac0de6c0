import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { TemporalModule } from '../temporal/temporal.module';
import { CustomersController } from './customers.controller';
import { CustomersService } from './customers.service';
import { ErasureService } from './erasure.service';
import { JourneyEraser } from './journey-eraser';

/** Profiles, journeys as seen by a customer, exits and erasure. */
@Module({
  imports: [DatabaseModule, TemporalModule],
  controllers: [CustomersController],
  providers: [CustomersService, ErasureService, JourneyEraser],
  // Other ways in (the Segment identify call) update profiles through the same service.
  exports: [CustomersService],
})
export class CustomersModule {}
