import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ContestsModule } from '../contests/contests.module.js';
import { ForecastsModule } from '../forecasts/forecasts.module.js';
import { HealthModule } from '../health/health.module.js';
import { SimulationsModule } from '../simulations/simulations.module.js';
import { StandingsModule } from '../standings/standings.module.js';
import { LiveAccessService } from './live-access.service.js';
import { LiveBroadcaster } from './live-broadcaster.service.js';
import { LiveEmitter } from './live-emitter.service.js';
import { LiveForecasts } from './live-forecasts.service.js';
import { LiveFollowers } from './live-followers.service.js';
import { LiveViews } from './live-views.service.js';
import { LiveGateway } from './live.gateway.js';
import { RedisRoomsService } from './redis-rooms.service.js';

@Module({
  imports: [
    HealthModule,
    AuthModule,
    ContestsModule,
    StandingsModule,
    SimulationsModule,
    ForecastsModule,
  ],
  providers: [
    LiveGateway,
    LiveEmitter,
    LiveViews,
    LiveFollowers,
    LiveBroadcaster,
    LiveForecasts,
    LiveAccessService,
    RedisRoomsService,
  ],
})
export class RealtimeModule {}
