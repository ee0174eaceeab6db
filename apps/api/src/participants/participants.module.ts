import { Module } from '@nestjs/common';
import { TeamsModule } from '../teams/teams.module.js';
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
    ParticipantsRepository,
    HistoryService,
    HistoryRepository,
    PlansService,
    PlansRepository,
  ],
  // Repositories too: file imports write participants, plans and history in one transaction.
  exports: [ParticipantsService, ParticipantsRepository, HistoryRepository, PlansRepository],
})
export class ParticipantsModule {}
