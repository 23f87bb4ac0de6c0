import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { MetricsModule } from '../metrics/metrics.module';
import { DefinitionsCheckService } from './definitions-check.service';
import { TriggerCatalogService } from './trigger-catalog.service';
import { TriggersController } from './triggers.controller';

/**
 * The loaded trigger set, shared with the features that ask which event names matter, and its
 * comparison with the live workers' (health, and the version new journeys start on).
 */
@Module({
  imports: [DatabaseModule, MetricsModule],
  controllers: [TriggersController],
  providers: [TriggerCatalogService, DefinitionsCheckService],
  exports: [TriggerCatalogService, DefinitionsCheckService],
})
export class TriggersModule {}
