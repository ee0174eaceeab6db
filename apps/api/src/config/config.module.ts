import { Global, Module, type DynamicModule } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CLOCK, systemClock, type Clock } from '../common/clock.js';
import { PublicUrl } from '../common/public-url.js';
import type { AppConfig } from './config.js';

/** Injection token of the validated {@link AppConfig}. */
export const APP_CONFIG = Symbol('APP_CONFIG');

@Global()
@Module({})
export class ConfigModule {
  /** `clock` replaces the system clock (tests move time by hand). */
  static forRoot(config: AppConfig, clock: Clock = systemClock): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
        {
          provide: PublicUrl,
          useFactory: (host: HttpAdapterHost) => new PublicUrl(config, host),
          inject: [HttpAdapterHost],
        },
      ],
      exports: [APP_CONFIG, CLOCK, PublicUrl],
    };
  }
}
