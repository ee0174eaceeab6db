import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { DisplaysModule } from '../displays/displays.module.js';
import { PersonalLinksModule } from '../personal-links/personal-links.module.js';
import { UsersModule } from '../users/users.module.js';
import { AccessBootstrap } from './access.bootstrap.js';
import { AccessGuard } from './access.guard.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { RateLimitedFilter } from './rate-limited.filter.js';
import { RateLimits } from './rate-limiter.js';
import { RouteRegistry } from './route-registry.js';

/**
 * Who may do what: sessions, the global access guard over `access-table.ts`, and the first admin.
 * `AuthService.resolve(token)` turns any bearer token into a principal (the socket handshake uses
 * it too).
 */
@Module({
  imports: [UsersModule, DisplaysModule, ApiKeysModule, PersonalLinksModule],
  controllers: [AuthController],
  providers: [
    AuthService,
    RateLimits,
    AccessBootstrap,
    RouteRegistry,
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_FILTER, useClass: RateLimitedFilter },
  ],
  exports: [AuthService, RouteRegistry, RateLimits, DisplaysModule],
})
export class AuthModule {}
