import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { EventsModule } from '../events/events.module';
import { IdentityModule } from '../identity/identity.module';
import { SegmentProfilesService } from './segment-profiles.service';
import { SegmentController } from './segment.controller';
import { SegmentService } from './segment.service';

/** Segment's HTTP tracking API (and RudderStack's, which is the same): events and profiles. */
@Module({
  imports: [EventsModule, CustomersModule, IdentityModule],
  controllers: [SegmentController],
  providers: [SegmentService, SegmentProfilesService],
})
export class SegmentModule {}
