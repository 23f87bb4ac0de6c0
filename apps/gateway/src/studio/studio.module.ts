import { Module } from '@nestjs/common';
import { TriggersModule } from '../triggers/triggers.module';
import { StudioDefinitionsController } from './studio-definitions.controller';
import { StudioController } from './studio.controller';

/** The trigger studio: the /studio page and the definitions its editor starts from (docs/api.md "Trigger studio"). */
@Module({
  imports: [TriggersModule],
  controllers: [StudioController, StudioDefinitionsController],
})
export class StudioModule {}
