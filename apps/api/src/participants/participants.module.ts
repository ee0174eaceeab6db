import { Module } from '@nestjs/common';
import { TeamsModule } from '../teams/teams.module.js';
import { HistoryController } from './history.controller.js';
import { HistoryRepository } from './history.repository.js';
import { HistoryService } from './history.service.js';
import { ParticipantsController } from './participants.controller.js';
import { ParticipantsRepository } from './participants.repository.js';
import { ParticipantsService } from './participants.service.js';

@Module({
  imports: [TeamsModule],
  controllers: [ParticipantsController, HistoryController],
  providers: [ParticipantsService, ParticipantsRepository, HistoryService, HistoryRepository],
  exports: [ParticipantsService],
})
export class ParticipantsModule {}
