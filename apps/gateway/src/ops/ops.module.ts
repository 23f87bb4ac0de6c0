import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { HealthController } from '../health/health.controller';
import { MetricsController } from '../metrics/metrics.controller';
import { MetricsModule } from '../metrics/metrics.module';
import { TemporalModule } from '../temporal/temporal.module';
import { TriggersModule } from '../triggers/triggers.module';

/**
 * What operators scrape and probe: /health (with the worker definitions check) and /metrics.
 * /docs and /docs/openapi.json are fastify plugins registered by createGateway (app.ts), as
 * they must be in place before Nest starts.
 */
@Module({
  imports: [DatabaseModule, MetricsModule, TemporalModule, TriggersModule],
  controllers: [HealthController, MetricsController],
})
export class OpsModule {}
