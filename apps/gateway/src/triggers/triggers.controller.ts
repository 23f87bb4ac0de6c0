import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { EventVolumeRepository } from '@kairos/persistence';
import { Scopes } from '../auth/scopes.decorator';
import { DatabaseService } from '../database/database.service';
import { definitionWarnings } from './definition-warnings';
import type { CatalogError, TriggerSummary } from './trigger-catalog';
import { TriggerCatalogService } from './trigger-catalog.service';

@Controller('v1/triggers')
@Scopes('journeys:read', 'reports:read')
export class TriggersController {
  private readonly volume: EventVolumeRepository;

  constructor(
    private readonly catalog: TriggerCatalogService,
    database: DatabaseService,
  ) {
    this.volume = new EventVolumeRepository(database.pool);
  }

  /** The loaded definitions, the event names that matter, and the files that failed to load. */
  @Get()
  list(): { triggers: TriggerSummary[]; eventNames: string[]; errors: CatalogError[] } {
    return {
      triggers: this.catalog.list(),
      eventNames: this.catalog.eventNames(),
      errors: this.catalog.loadErrors(),
    };
  }

  /** Validates a definition without loading it; warnings flag what is legal but suspicious. */
  @Post('validate')
  @HttpCode(200)
  async validate(
    @Body() body: unknown,
  ): Promise<{ valid: boolean; errors: CatalogError[]; warnings: CatalogError[] }> {
    const errors = this.catalog.validate(body);
    const warnings = await definitionWarnings(body, async (names, since) => {
      try {
        return await this.volume.namesSeenSince(names, since);
      } catch {
        // No reachable database: the other warnings still help, this one is skipped.
        return null;
      }
    });
    return { valid: errors.length === 0, errors, warnings };
  }
}
