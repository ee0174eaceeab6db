import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { IntegrationsController } from './integrations.controller.js';
import { IntegrationsRepository } from './integrations.repository.js';
import { IntegrationsService } from './integrations.service.js';

@Module({
  imports: [EventsModule],
  controllers: [IntegrationsController],
  providers: [IntegrationsService, IntegrationsRepository],
})
export class IntegrationsModule {}
