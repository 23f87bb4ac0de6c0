import { Controller, Get } from '@nestjs/common';
import type { Trigger } from '@kairos/triggers';
import { Scopes } from '../auth/scopes.decorator';
import type { TriggerSummary } from '../triggers/trigger-catalog';
import { TriggerCatalogService } from '../triggers/trigger-catalog.service';

/** The loaded definitions as journeys run them, for the studio's editor (docs/api.md "Trigger studio"). */
@Controller('v1/studio')
@Scopes('journeys:read', 'reports:read')
export class StudioDefinitionsController {
  constructor(private readonly catalog: TriggerCatalogService) {}

  @Get('definitions')
  definitions(): { definitions: (TriggerSummary & { definition: Trigger })[] } {
    return { definitions: this.catalog.definitions() };
  }
}
