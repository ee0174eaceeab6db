import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ContestsModule } from '../contests/contests.module.js';
import { HealthModule } from '../health/health.module.js';
import { SimulationsModule } from '../simulations/simulations.module.js';
import { StandingsModule } from '../standings/standings.module.js';
import { RedisRoomsService } from './redis-rooms.service.js';
import { LiveAccessService } from './live-access.service.js';
import { LiveGateway } from './live.gateway.js';
import { LiveService } from './live.service.js';

@Module({
  imports: [HealthModule, AuthModule, ContestsModule, StandingsModule, SimulationsModule],
  providers: [LiveGateway, LiveService, LiveAccessService, RedisRoomsService],
  exports: [LiveService],
})
export class RealtimeModule {}
