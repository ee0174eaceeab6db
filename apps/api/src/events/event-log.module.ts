import { Module } from '@nestjs/common';
import { EventLogService } from './event-log.service.js';
import { EventsRepository } from './events.repository.js';

/** The event log for the capabilities that read it; apart from EventsModule to avoid a circle. */
@Module({
  providers: [EventsRepository, EventLogService],
  exports: [EventLogService],
})
export class EventLogModule {}
