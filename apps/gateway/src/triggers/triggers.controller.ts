import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { Scopes } from '../auth/scopes.decorator';
import type { CatalogError, TriggerSummary } from './trigger-catalog';
import { TriggerCatalogService } from './trigger-catalog.service';

@Controller('v1/triggers')
@Scopes('journeys:read', 'reports:read')
export class TriggersController {
  constructor(private readonly catalog: TriggerCatalogService) {}

  /** The loaded definitions, the event names that matter, and the files that failed to load. */
  @Get()
  list(): { triggers: TriggerSummary[]; eventNames: string[]; errors: CatalogError[] } {
    return {
      triggers: this.catalog.list(),
      eventNames: this.catalog.eventNames(),
      errors: this.catalog.loadErrors(),
    };
  }

  /** Validates a definition without loading it. */
  @Post('validate')
  @HttpCode(200)
  validate(@Body() body: unknown): { valid: boolean; errors: CatalogError[] } {
    const errors = this.catalog.validate(body);
    return { valid: errors.length === 0, errors };
  }
}
