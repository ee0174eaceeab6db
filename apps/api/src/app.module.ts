import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Clock } from './common/clock.js';
import type { AppConfig } from './config/config.js';
import { ConfigModule } from './config/config.module.js';
import { ContestsModule } from './contests/contests.module.js';
import { dataSourceOptions } from './database/data-source.js';
import { DemoModule } from './demo/demo.module.js';
import { RepositoriesModule } from './database/repositories.module.js';
import { EventsModule } from './events/events.module.js';
import { IntegrationsModule } from './integrations/integrations.module.js';
import { HealthModule } from './health/health.module.js';
import { ImportsModule } from './imports/imports.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { ExportsModule } from './exports/exports.module.js';
import { ForecastsModule } from './forecasts/forecasts.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { MailDeliveryModule } from './mail/mail-delivery.module.js';
import { MailModule } from './mail/mail.module.js';
import { OpenApiModule } from './openapi/openapi.module.js';
import { ParticipantsModule } from './participants/participants.module.js';
import { ClusterModule } from './database/cluster/cluster.module.js';
import { RealtimeModule } from './realtime/realtime.module.js';
import { SimulationsModule } from './simulations/simulations.module.js';
import { AuthModule } from './auth/auth.module.js';
import { TeamsModule } from './teams/teams.module.js';

@Module({})
export class AppModule {
  /** `databaseUrl` is the resolved one: `DATABASE_URL`, or the embedded server's. */
  static forRoot({
    config,
    databaseUrl,
    clock,
  }: {
    config: AppConfig;
    databaseUrl: string;
    clock?: Clock;
  }): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, clock),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(databaseUrl),
          retryAttempts: 3,
          retryDelay: 1_000,
        }),
        JobsModule.forRoot(databaseUrl),
        ClusterModule,
        HealthModule,
        OpenApiModule,
        RealtimeModule,
        TeamsModule,
        ParticipantsModule,
        RepositoriesModule,
        EventsModule,
        ContestsModule,
        DemoModule,
        IntegrationsModule,
        AuthModule,
        SimulationsModule,
        ForecastsModule,
        ImportsModule,
        ExportsModule,
        NotificationsModule,
        MailModule,
        MailDeliveryModule,
      ],
    };
  }
}
