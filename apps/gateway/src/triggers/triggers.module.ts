import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { TriggerCatalogService } from './trigger-catalog.service';
import { TriggersController } from './triggers.controller';

/** The loaded trigger set, shared with the features that ask which event names matter. */
@Module({
  imports: [DatabaseModule],
  controllers: [TriggersController],
  providers: [TriggerCatalogService],
  exports: [TriggerCatalogService],
})
export class TriggersModule {}
