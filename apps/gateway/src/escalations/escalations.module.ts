import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { TemporalModule } from '../temporal/temporal.module';
import { EscalationsController } from './escalations.controller';
import { EscalationsService } from './escalations.service';

/** Escalations to humans: listing and acknowledgement. */
@Module({
  imports: [DatabaseModule, TemporalModule],
  controllers: [EscalationsController],
  providers: [EscalationsService],
})
export class EscalationsModule {}
