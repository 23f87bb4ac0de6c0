import { Module } from '@nestjs/common';
import { TemporalModule } from '../temporal/temporal.module';
import { CodecController, CodecCors } from './codec.controller';

/** Temporal's remote codec endpoint (and its CORS), for the Web UI to show decrypted journeys. */
@Module({
  imports: [TemporalModule],
  controllers: [CodecController],
  providers: [CodecCors],
})
export class CodecModule {}
