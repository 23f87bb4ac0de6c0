import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import { BacktestsModule } from './backtests/backtests.module';
import { BroadcastsModule } from './broadcasts/broadcasts.module';
import { CloudEventsModule } from './cloudevents/cloudevents.module';
import { CodecModule } from './codec/codec.module';
import { CommonModule } from './common/common.module';
import { ConfigModule } from './config.module';
import type { GatewayConfig } from './config';
import { CustomersModule } from './customers/customers.module';
import { EscalationsModule } from './escalations/escalations.module';
import { EventsModule } from './events/events.module';
import { FeedbackModule } from './feedback/feedback.module';
import { ModelsModule } from './models/models.module';
import { ImportModule } from './import/import.module';
import { OpsModule } from './ops/ops.module';
import { ReportsModule } from './reports/reports.module';
import { SegmentModule } from './segment/segment.module';
import { StudioModule } from './studio/studio.module';
import { TrackingModule } from './tracking/tracking.module';
import { TriggersModule } from './triggers/triggers.module';

@Module({})
export class AppModule {
  /**
   * The gateway over an explicit, already validated config: one module per feature; the
   * shared ones (database, Temporal, metrics) are imported by the features that use them, so
   * each holds one instance (one pool, one connection, one metrics registry).
   */
  static forConfig(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule,
        AuthModule,
        EventsModule,
        CloudEventsModule,
        CustomersModule,
        TriggersModule,
        FeedbackModule,
        TrackingModule,
        ReportsModule,
        EscalationsModule,
        CodecModule,
        OpsModule,
        ImportModule,
        SegmentModule,
        BroadcastsModule,
        StudioModule,
        BacktestsModule,
        ModelsModule,
      ],
    };
  }
}
