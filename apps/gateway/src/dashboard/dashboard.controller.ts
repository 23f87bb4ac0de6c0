import fs from 'node:fs';
import path from 'node:path';
import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/scopes.decorator';
import { DASHBOARD_HTML, DASHBOARD_JS } from './dashboard-page';
import { MODELS_PANEL_JS } from './models-panel';

/** Chart.js's UMD build, read from node_modules once (the machine serving the page may have no internet). */
function chartJsSource(): string {
  // The package's exports hide dist/: resolve its main entry and take the UMD file beside it.
  const main = require.resolve('chart.js');
  return fs.readFileSync(path.join(path.dirname(main), 'chart.umd.min.js'), 'utf8');
}

/**
 * The measurement dashboard. The page and its scripts are public; the data is not: the page
 * calls /v1/reports/* with a reports:read key the user gives it.
 */
@Controller('dashboard')
@Public()
export class DashboardController {
  private chartJs: string | undefined;

  @Get()
  async page(@Res() reply: FastifyReply): Promise<void> {
    await reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header(
        'content-security-policy',
        "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:",
      )
      .header('referrer-policy', 'no-referrer')
      .send(DASHBOARD_HTML);
  }

  @Get('app.js')
  async app(@Res() reply: FastifyReply): Promise<void> {
    await reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(DASHBOARD_JS);
  }

  /** The model panel's script (docs/api.md §12). */
  @Get('models.js')
  async models(@Res() reply: FastifyReply): Promise<void> {
    await reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(MODELS_PANEL_JS);
  }

  @Get('chart.umd.js')
  async chart(@Res() reply: FastifyReply): Promise<void> {
    this.chartJs ??= chartJsSource();
    await reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send(this.chartJs);
  }
}
