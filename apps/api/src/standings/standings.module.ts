import { Module } from '@nestjs/common';
import { ContestRecordsModule } from '../contests/contest-records.module.js';
import { EventLogModule } from '../events/event-log.module.js';
import { StandingsRepository } from './standings.repository.js';
import { StandingsService } from './standings.service.js';

@Module({
  imports: [ContestRecordsModule, EventLogModule],
  providers: [StandingsService, StandingsRepository],
  exports: [StandingsService],
})
export class StandingsModule {}
