import { Controller, Get } from '@nestjs/common';
import { Scopes } from '../auth/scopes.decorator';
import { ModelsService, type ModelView } from './models.service';

@Controller('v1/models')
export class ModelsController {
  constructor(private readonly models: ModelsService) {}

  /** Every model: its definition, the card of every version, the score distribution. */
  @Get()
  @Scopes('reports:read', 'journeys:read')
  async list(): Promise<{ models: ModelView[] }> {
    return { models: await this.models.list() };
  }
}
