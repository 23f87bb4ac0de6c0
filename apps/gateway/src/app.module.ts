import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ProblemFilter } from './common/problem.filter';
import { GATEWAY_CONFIG, type GatewayConfig } from './config';
import { DatabaseService } from './database/database.service';
import { EventsController } from './events/events.controller';
import { EventsService } from './events/events.service';
import { HealthController } from './health/health.controller';
import { TemporalService } from './temporal/temporal.service';

@Module({})
export class AppModule {
  /** The gateway module over an explicit, already validated config. */
  static forConfig(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [EventsController, HealthController],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: ProblemFilter },
        TemporalService,
        DatabaseService,
        EventsService,
      ],
    };
  }
}
