import { Module } from '@nestjs/common';
import { DashboardController } from '../dashboard/dashboard.controller';
import { DatabaseModule } from '../database/database.module';
import { ConversionGoalsService } from './conversion-goals.service';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

/** Measurement: the reports and the dashboard page that draws them (one feature, docs/api.md §8). */
@Module({
  imports: [DatabaseModule],
  controllers: [ReportsController, DashboardController],
  providers: [ReportsService, ConversionGoalsService],
})
export class ReportsModule {}
