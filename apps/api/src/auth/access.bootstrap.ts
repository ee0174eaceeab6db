import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DisplaysService } from '../displays/displays.service.js';
import { UsersService } from '../users/users.service.js';
import { PasswordHasher } from './password-hasher.js';

/** DESIGN §10: in demo mode the admin is `admin@demo.local` / `demo`. */
export const DEMO_ADMIN = { email: 'admin@demo.local', password: 'demo' } as const;

/**
 * At start: the first admin (from `PODIUM_ADMIN_EMAIL`/`PODIUM_ADMIN_PASSWORD`, else the demo one
 * in demo mode) when no admin exists; the demo display in demo mode, and no demo display outside.
 */
@Injectable()
export class AccessBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(AccessBootstrap.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly displays: DisplaysService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureFirstAdmin();
    if (this.config.demo) await this.displays.ensureDemoDisplay();
    else await this.displays.revokeDemoDisplay();
  }

  private async ensureFirstAdmin(): Promise<void> {
    const configured =
      this.config.adminEmail !== null && this.config.adminPassword !== null
        ? { email: this.config.adminEmail.toLowerCase(), password: this.config.adminPassword }
        : null;
    const admin = configured ?? (this.config.demo ? DEMO_ADMIN : null);
    if (admin === null) return;
    const created = await this.users.createFirstAdmin({
      email: admin.email,
      passwordHash: await this.hasher.hash(admin.password),
      role: 'admin',
      participantId: null,
    });
    // The e-mail is the operator's own configuration, not a secret; the password is never logged.
    if (created) this.logger.log(`first admin created: ${admin.email}`);
  }
}
