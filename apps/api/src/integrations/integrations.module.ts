import { Module } from '@nestjs/common';
import { SecretBox } from '../common/secret-box.js';
import { EventsModule } from '../events/events.module.js';
import { AmocrmClients } from './crm/amocrm-leads.js';
import { Bitrix24Worker } from './bitrix24.worker.js';
import { CrmDealsService } from './crm-deals.service.js';
import { CrmRepository } from './crm.repository.js';
import { CrmWebhooksService } from './crm-webhooks.service.js';
import { IntegrationMappingsService } from './integration-mappings.service.js';
import { IntegrationsController } from './integrations.controller.js';
import { IntegrationsRepository } from './integrations.repository.js';
import { IntegrationsService } from './integrations.service.js';
import { SignedWebhooksService } from './signed-webhooks.service.js';
import { AmocrmPuller } from './sync/amocrm-puller.js';
import { CRM_PULLERS, type CrmPuller } from './sync/crm-puller.js';

@Module({
  imports: [EventsModule],
  controllers: [IntegrationsController],
  providers: [
    IntegrationsService,
    IntegrationMappingsService,
    SignedWebhooksService,
    IntegrationsRepository,
    CrmRepository,
    CrmDealsService,
    CrmWebhooksService,
    Bitrix24Worker,
    SecretBox,
    AmocrmClients,
    AmocrmPuller,
    {
      provide: CRM_PULLERS,
      useFactory: (...pullers: CrmPuller[]): CrmPuller[] => pullers,
      inject: [AmocrmPuller],
    },
  ],
})
export class IntegrationsModule {}
