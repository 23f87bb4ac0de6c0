import { Controller, Get, Query } from '@nestjs/common';
import { Scopes } from '../auth/scopes.decorator';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { ReportQuerySchema, type ReportQuery } from './reports.schema';
import { ReportsService } from './reports.service';

/** Every report takes the same query. */
const reportQuery = new ZodValidationPipe(ReportQuerySchema);

/** GET /v1/reports/{volume,responses,attribution,timing,roi}?from&to&trigger&bucket[&model] */
@Controller('v1/reports')
@Scopes('reports:read')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('volume')
  volume(@Query(reportQuery) query: ReportQuery) {
    return this.reports.volume(query);
  }

  @Get('responses')
  responses(@Query(reportQuery) query: ReportQuery) {
    return this.reports.responses(query);
  }

  @Get('attribution')
  attribution(@Query(reportQuery) query: ReportQuery) {
    return this.reports.attribution(query);
  }

  @Get('timing')
  timing(@Query(reportQuery) query: ReportQuery) {
    return this.reports.timing(query);
  }

  @Get('roi')
  roi(@Query(reportQuery) query: ReportQuery) {
    return this.reports.roi(query);
  }
}
