import { Module } from '@nestjs/common';
import { ContestRecordsModule } from '../contests/contest-records.module.js';
import { EventLogModule } from '../events/event-log.module.js';
import { ParticipantsModule } from '../participants/participants.module.js';
import { SimulationsModule } from '../simulations/simulations.module.js';
import { StandingsModule } from '../standings/standings.module.js';
import { StoredForecastChance } from './forecast-chance.js';
import { ForecastsController } from './forecasts.controller.js';
import { ForecastsRepository } from './forecasts.repository.js';
import { ForecastsService } from './forecasts.service.js';

/** The live forecast of contests (DESIGN §3.7): computed, kept, read and told. */
@Module({
  imports: [
    ContestRecordsModule,
    EventLogModule,
    ParticipantsModule,
    SimulationsModule,
    StandingsModule,
  ],
  controllers: [ForecastsController],
  providers: [ForecastsService, ForecastsRepository, StoredForecastChance],
  exports: [ForecastsService, StoredForecastChance],
})
export class ForecastsModule {}
