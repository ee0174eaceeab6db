import { Module } from '@nestjs/common';
import { StandingsModule } from '../standings/standings.module.js';
import { EventLogModule } from './event-log.module.js';
import { EventsController } from './events.controller.js';
import { EventsRepository } from './events.repository.js';
import { EventsService } from './events.service.js';

@Module({
  imports: [StandingsModule, EventLogModule],
  controllers: [EventsController],
  providers: [EventsService, EventsRepository],
  exports: [EventsService, EventLogModule],
})
export class EventsModule {}
