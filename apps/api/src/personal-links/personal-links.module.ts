import { Module } from '@nestjs/common';
import { PersonalLinksBootstrap } from './personal-links.bootstrap.js';
import { PersonalLinksController } from './personal-links.controller.js';
import { PersonalLinksRepository } from './personal-links.repository.js';
import { PersonalLinksService } from './personal-links.service.js';

/**
 * Participants' personal links (`/m/p/<token>`). `AuthModule` imports it so a link token resolves
 * to a seller principal; the demo imports it for `ensureDemoLink`.
 */
@Module({
  controllers: [PersonalLinksController],
  providers: [PersonalLinksRepository, PersonalLinksService, PersonalLinksBootstrap],
  exports: [PersonalLinksService],
})
export class PersonalLinksModule {}
