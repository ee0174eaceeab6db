import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from './auth/auth.module.js';
import type { AppConfig } from './config/config.js';
import { ConfigModule } from './config/config.module.js';
import { dataSourceOptions } from './database/data-source.js';
import { HealthModule } from './health/health.module.js';
import { OpenApiModule } from './openapi/openapi.module.js';
import { RealtimeModule } from './realtime/realtime.module.js';
import { TeamsModule } from './teams/teams.module.js';
import { ParticipantsModule } from './participants/participants.module.js';

@Module({})
export class AppModule {
  /** `databaseUrl` is the resolved one: `DATABASE_URL`, or the embedded server's. */
  static forRoot({
    config,
    databaseUrl,
  }: {
    config: AppConfig;
    databaseUrl: string;
  }): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(databaseUrl),
          retryAttempts: 3,
          retryDelay: 1_000,
        }),
        HealthModule,
        OpenApiModule,
        RealtimeModule,
        TeamsModule,
        ParticipantsModule,
        AuthModule,
      ],
    };
  }
}
