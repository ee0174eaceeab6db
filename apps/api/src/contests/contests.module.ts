import { NotificationsModule } from '../notifications/notifications.module.js';
import { MailModule } from '../mail/mail.module.js';
import { Module } from '@nestjs/common';
import { EventLogModule } from '../events/event-log.module.js';
import { EventsModule } from '../events/events.module.js';
import { ParticipantsModule } from '../participants/participants.module.js';
import { SimulationsModule } from '../simulations/simulations.module.js';
import { StandingsModule } from '../standings/standings.module.js';
import { ClawbacksRepository } from './clawbacks.repository.js';
import { ClawbacksService } from './clawbacks.service.js';
import { ContestAuditRepository } from './contest-audit.repository.js';
import { ContestRecordsModule } from './contest-records.module.js';
import { ContestsController } from './contests.controller.js';
import { ContestsRepository } from './contests.repository.js';
import { ContestsService } from './contests.service.js';
import { CorrectionsService } from './corrections.service.js';
import { DraftsService } from './drafts.service.js';
import { LifecycleService } from './lifecycle.service.js';
import { MonthlyRepeatsService } from './monthly-repeats.service.js';
import { PrizeImagesRepository } from './prize-images.repository.js';
import { PrizeImagesService } from './prize-images.service.js';
import { ResultsRepository } from './results.repository.js';
import { ResultsService } from './results.service.js';

/** Contests, one service per job: reading, drafts, lifecycle, corrections, results, prize images. */
@Module({
  imports: [
    ContestRecordsModule,
    EventsModule,
    EventLogModule,
    StandingsModule,
    ParticipantsModule,
    SimulationsModule,
    NotificationsModule,
    MailModule,
  ],
  controllers: [ContestsController],
  providers: [
    ContestsRepository,
    ContestAuditRepository,
    ResultsRepository,
    PrizeImagesRepository,
    ContestsService,
    DraftsService,
    LifecycleService,
    MonthlyRepeatsService,
    CorrectionsService,
    ResultsService,
    PrizeImagesService,
    ClawbacksRepository,
    ClawbacksService,
  ],
  exports: [
    ContestRecordsModule,
    ContestsService,
    DraftsService,
    LifecycleService,
    ResultsService,
    PrizeImagesService,
  ],
})
export class ContestsModule {}
