import { Controller, Get, HttpCode } from '@nestjs/common';
import { Public } from '../auth/scopes.decorator';
import { ProblemException } from '../common/problem';
import { DatabaseService } from '../database/database.service';
import { TemporalService } from '../temporal/temporal.service';
import { DefinitionsCheckService, type DefinitionsCheck } from '../triggers/definitions-check.service';

type Ready = { status: 'ok'; temporal: 'up'; postgres: 'up'; definitions: DefinitionsCheck };

@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly temporal: TemporalService,
    private readonly database: DatabaseService,
    private readonly definitions: DefinitionsCheckService,
  ) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Ready when both Temporal and Postgres answer. `definitions` compares this gateway's trigger
   * set with the live workers': information, never a reason to be unready (a rolling deploy
   * passes through a mismatch).
   */
  @Get('ready')
  async ready(): Promise<Ready> {
    const [temporal, postgres, definitions] = await Promise.all([
      this.temporal.isReady(),
      this.database.isReady(),
      this.definitions.check(),
    ]);
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
    return { status: 'ok', temporal: 'up', postgres: 'up', definitions };
  }
}
