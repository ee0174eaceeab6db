import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { PersonalLinksService } from './personal-links.service.js';

/** Outside demo mode the demo link (a token everyone knows) must not open anything. */
@Injectable()
export class PersonalLinksBootstrap implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly links: PersonalLinksService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demo) await this.links.revokeDemoLink();
  }
}
