import { Module } from '@nestjs/common';
import { TeamsModule } from '../teams/teams.module.js';
import { ContestParticipantsService } from './contest-participants.service.js';
import { ExternalIdsRepository } from './external-ids.repository.js';
import { HistoryController } from './history.controller.js';
import { HistoryRepository } from './history.repository.js';
import { HistoryService } from './history.service.js';
import { ParticipantsController } from './participants.controller.js';
import { ParticipantsRepository } from './participants.repository.js';
import { ParticipantsService } from './participants.service.js';
import { PlansController } from './plans.controller.js';
import { PlansRepository } from './plans.repository.js';
import { PlansService } from './plans.service.js';

@Module({
  imports: [TeamsModule],
  controllers: [ParticipantsController, HistoryController, PlansController],
  providers: [
    ParticipantsService,
    ContestParticipantsService,
    ParticipantsRepository,
    ExternalIdsRepository,
    HistoryService,
    HistoryRepository,
    PlansService,
    PlansRepository,
  ],
  // Services only: file imports write participants, plans and history in their one transaction
  // through the services' `…Within(manager, …)` methods.
  exports: [ParticipantsService, ContestParticipantsService, HistoryService, PlansService],
})
export class ParticipantsModule {}
