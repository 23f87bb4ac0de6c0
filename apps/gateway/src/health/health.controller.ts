import { Controller, Get, HttpCode } from '@nestjs/common';
import { Public } from '../auth/scopes.decorator';
import { ProblemException } from '../common/problem';
import { DatabaseService } from '../database/database.service';
import { TemporalService } from '../temporal/temporal.service';

@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly temporal: TemporalService,
    private readonly database: DatabaseService,
  ) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready when both Temporal and Postgres answer. */
  @Get('ready')
  async ready(): Promise<{ status: 'ok'; temporal: 'up'; postgres: 'up' }> {
    const [temporal, postgres] = await Promise.all([this.temporal.isReady(), this.database.isReady()]);
    if (!temporal || !postgres) {
      throw new ProblemException(
        503,
        'not-ready',
        'Not ready',
        `temporal: ${temporal ? 'up' : 'down'}, postgres: ${postgres ? 'up' : 'down'}`,
        undefined,
        { 'retry-after': '5' },
      );
    }
    return { status: 'ok', temporal: 'up', postgres: 'up' };
  }
}
