import { Module } from '@nestjs/common';
import { MetricsService } from './metrics.service';

/**
 * The one MetricsService (its prom-client registry is what /metrics renders): features import
 * this module, never provide the service themselves, or their counters would go unseen.
 */
@Module({
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsModule {}
