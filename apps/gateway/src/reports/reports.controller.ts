import { Controller, Get, Query } from '@nestjs/common';
import { Scopes } from '../auth/scopes.decorator';
import { validationProblem } from '../common/problem';
import { ReportQuerySchema, type ReportQuery } from './reports.schema';
import { ReportsService } from './reports.service';

function queryOf(raw: unknown): ReportQuery {
  const parsed = ReportQuerySchema.safeParse(raw ?? {});
  if (!parsed.success) throw validationProblem(parsed.error, 'Query', []);
  return parsed.data;
}

/** GET /v1/reports/{volume,responses,attribution,timing,roi}?from&to&trigger&bucket[&model] */
@Controller('v1/reports')
@Scopes('reports:read')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('volume')
  volume(@Query() query: unknown) {
    return this.reports.volume(queryOf(query));
  }

  @Get('responses')
  responses(@Query() query: unknown) {
    return this.reports.responses(queryOf(query));
  }

  @Get('attribution')
  attribution(@Query() query: unknown) {
    return this.reports.attribution(queryOf(query));
  }

  @Get('timing')
  timing(@Query() query: unknown) {
    return this.reports.timing(queryOf(query));
  }

  @Get('roi')
  roi(@Query() query: unknown) {
    return this.reports.roi(queryOf(query));
  }
}
