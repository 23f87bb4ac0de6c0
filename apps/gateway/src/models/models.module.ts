import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { TriggersModule } from '../triggers/triggers.module';
import { ModelsController } from './models.controller';
import { ModelsService } from './models.service';

/** Predictive models: GET /v1/models (cards, score distributions, the triggers reading each score; docs/models.md). */
@Module({
  imports: [DatabaseModule, TriggersModule],
  controllers: [ModelsController],
  providers: [ModelsService],
})
export class ModelsModule {}
