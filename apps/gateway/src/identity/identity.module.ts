import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { TemporalModule } from '../temporal/temporal.module';
import { IdentityService } from './identity.service';

/** Anonymous visitors linked to known customers: their events and journey merged (docs/ingestion.md). */
@Module({
  imports: [DatabaseModule, TemporalModule],
  providers: [IdentityService],
  exports: [IdentityService],
})
export class IdentityModule {}
