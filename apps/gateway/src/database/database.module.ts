import { Module } from '@nestjs/common';
import { DatabaseService } from './database.service';

/** The gateway's one pg pool, for every feature that reads or writes PostgreSQL. */
@Module({
  providers: [DatabaseService],
  exports: [DatabaseService],
})
export class DatabaseModule {}
