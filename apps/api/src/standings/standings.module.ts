import { Module } from '@nestjs/common';
import { StandingsRepository } from './standings.repository.js';
import { StandingsService } from './standings.service.js';

@Module({
  providers: [StandingsService, StandingsRepository],
  exports: [StandingsService],
})
export class StandingsModule {}
