import { Module } from '@nestjs/common';
import { ContestRecordsModule } from '../contests/contest-records.module.js';
import { EventLogModule } from '../events/event-log.module.js';
import { EventsModule } from '../events/events.module.js';
import { Bitrix24Worker } from './bitrix24.worker.js';
import { CrmDealsService } from './crm-deals.service.js';
import { CrmRepository } from './crm.repository.js';
import { CrmWebhooksService } from './crm-webhooks.service.js';
import { IntegrationMappingsService } from './integration-mappings.service.js';
import { IntegrationsController } from './integrations.controller.js';
import { IntegrationsRepository } from './integrations.repository.js';
import { IntegrationsService } from './integrations.service.js';
import { ReconciliationRepository } from './reconciliation.repository.js';
import { ReconciliationService } from './reconciliation.service.js';
import { SignedWebhooksService } from './signed-webhooks.service.js';

@Module({
  imports: [EventsModule, EventLogModule, ContestRecordsModule],
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
    ReconciliationRepository,
    ReconciliationService,
  ],
})
export class IntegrationsModule {}
