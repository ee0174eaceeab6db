import { Inject, Injectable } from '@nestjs/common';
import { DEMO_ADMIN } from '../auth/access.bootstrap.js';
import { DEMO_DISPLAY_TOKEN, DEMO_PERSONAL_LINK_TOKEN } from '../auth/tokens.js';
import { notFound } from '../common/http-errors.js';
import { PublicUrl } from '../common/public-url.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { displayPath } from '../displays/displays.service.js';
import { personalLinkPath } from '../personal-links/personal-links.service.js';
import { UsersService } from '../users/users.service.js';
import { DEMO_PASSWORD, DEMO_USERS } from './demo.service.js';
import type { DemoAccountView, DemoEntryView } from './dto/demo-entry.dto.js';

/**
 * The way into a demo (DESIGN §7 Home): the demo sign-ins and the demo TV and phone, so the home
 * page can offer them. Outside demo mode none of them exists, and the answer is a 404.
 */
@Injectable()
export class DemoEntryService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly publicUrl: PublicUrl,
  ) {}

  async entry(): Promise<DemoEntryView> {
    if (!this.config.demo) throw notFound('demo: demo mode is off');
    const candidates = [{ email: DEMO_ADMIN.email, role: 'admin' as const }, ...DEMO_USERS];
    const accounts: DemoAccountView[] = [];
    // Only the accounts that are there with the role they were made with: a configured first
    // admin (PODIUM_ADMIN_EMAIL) replaces the demo one, and an admin may have deleted an account
    // or changed its role since the demo started.
    for (const { email, role } of candidates) {
      const user = await this.users.findByEmail(email);
      if (user?.role === role) accounts.push({ email, password: DEMO_PASSWORD, role });
    }
    return {
      accounts,
      tvUrl: this.publicUrl.of(displayPath(DEMO_DISPLAY_TOKEN)),
      phoneUrl: this.publicUrl.of(personalLinkPath(DEMO_PERSONAL_LINK_TOKEN)),
    };
  }
}
