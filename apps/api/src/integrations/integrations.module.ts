import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { EventsModule } from '../events/events.module.js';
import { Bitrix24Worker } from './bitrix24.worker.js';
import { Bitrix24ReadsRepository } from './bitrix24-reads.repository.js';
import { CrmDealsService } from './crm-deals.service.js';
import { CrmRepository } from './crm.repository.js';
import { CrmWebhooksService } from './crm-webhooks.service.js';
import { IntegrationMappingsService } from './integration-mappings.service.js';
import { IntegrationsController } from './integrations.controller.js';
import { IntegrationsRepository } from './integrations.repository.js';
import { IntegrationsService } from './integrations.service.js';
import { SignedWebhooksService } from './signed-webhooks.service.js';

@Module({
  imports: [EventsModule, AuthModule],
  controllers: [IntegrationsController],
  providers: [
    IntegrationsService,
    IntegrationMappingsService,
    SignedWebhooksService,
    IntegrationsRepository,
    CrmRepository,
    Bitrix24ReadsRepository,
    CrmDealsService,
    CrmWebhooksService,
    Bitrix24Worker,
  ],
})
export class IntegrationsModule {}
