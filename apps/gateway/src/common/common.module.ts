import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { MetricsModule } from '../metrics/metrics.module';
import { ProblemFilter } from './problem.filter';

/** The problem-details filter every error of every feature goes through (and is counted by). */
@Module({
  imports: [MetricsModule],
  providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
})
export class CommonModule {}
