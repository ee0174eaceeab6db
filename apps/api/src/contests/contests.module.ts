import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { ParticipantsModule } from '../participants/participants.module.js';
import { StandingsModule } from '../standings/standings.module.js';
import { ContestReadsService } from './contest-reads.service.js';
import { ContestsController } from './contests.controller.js';
import { ContestsService } from './contests.service.js';
import { LifecycleService } from './lifecycle.service.js';

@Module({
  imports: [EventsModule, StandingsModule, ParticipantsModule],
  controllers: [ContestsController],
  providers: [ContestsService, LifecycleService, ContestReadsService],
  exports: [ContestsService, LifecycleService, ContestReadsService],
})
export class ContestsModule {}
