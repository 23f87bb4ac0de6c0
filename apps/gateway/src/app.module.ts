import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeysService } from './auth/api-keys.service';
import { CodecController, CodecCors } from './codec/codec.controller';
import { ProblemFilter } from './common/problem.filter';
import { GATEWAY_CONFIG, type GatewayConfig } from './config';
import { CustomersController } from './customers/customers.controller';
import { CustomersService } from './customers/customers.service';
import { DashboardController } from './dashboard/dashboard.controller';
import { DatabaseService } from './database/database.service';
import { EscalationsController } from './escalations/escalations.controller';
import { EscalationsService } from './escalations/escalations.service';
import { EventsController } from './events/events.controller';
import { FeedbackController } from './feedback/feedback.controller';
import { FeedbackService } from './feedback/feedback.service';
import { ConversionGoalsService } from './reports/conversion-goals.service';
import { ReportsController } from './reports/reports.controller';
import { ReportsService } from './reports/reports.service';
import { TrackingController } from './tracking/tracking.controller';
import { TrackingService } from './tracking/tracking.service';
import { EventRecorderService } from './events/event-recorder.service';
import { EventsService } from './events/events.service';
import { RateLimitService } from './events/rate-limit.service';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { JourneyClient } from './temporal/journey.client';
import { TemporalService } from './temporal/temporal.service';
import { TriggerCatalogService } from './triggers/trigger-catalog.service';
import { TriggersController } from './triggers/triggers.controller';
import { VolumeService } from './volume/volume.service';

@Module({})
export class AppModule {
  /** The gateway module over an explicit, already validated config. */
  static forConfig(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [
        EventsController,
        CustomersController,
        TriggersController,
        HealthController,
        MetricsController,
        FeedbackController,
        TrackingController,
        ReportsController,
        DashboardController,
        EscalationsController,
        CodecController,
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        MetricsService,
        TemporalService,
        JourneyClient,
        DatabaseService,
        ApiKeysService,
        TriggerCatalogService,
        VolumeService,
        RateLimitService,
        EventRecorderService,
        EventsService,
        CustomersService,
        FeedbackService,
        TrackingService,
        ConversionGoalsService,
        ReportsService,
        EscalationsService,
        CodecCors,
      ],
    };
  }
}
