import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { SecretBox } from '../common/secret-box.js';
import { ContestRecordsModule } from '../contests/contest-records.module.js';
import { EventLogModule } from '../events/event-log.module.js';
import { EventsModule } from '../events/events.module.js';
import { AmocrmClients } from './crm/amocrm-leads.js';
import { Bitrix24Worker } from './bitrix24.worker.js';
import { Bitrix24ReadsRepository } from './bitrix24-reads.repository.js';
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
import { AmocrmPuller } from './sync/amocrm-puller.js';
import { Bitrix24Puller } from './sync/bitrix24-puller.js';
import { CRM_PULLERS, type CrmPuller } from './sync/crm-puller.js';
import { CrmSyncRepository } from './sync/crm-sync.repository.js';
import { CrmSyncScheduler } from './sync/crm-sync.scheduler.js';
import { CrmSyncService } from './sync/crm-sync.service.js';
import { OnecDocumentsRepository } from './sync/onec-documents.repository.js';
import { OnecPuller } from './sync/onec-puller.js';
import { SyncAlertsService } from './sync/sync-alerts.service.js';

@Module({
  imports: [EventsModule, EventLogModule, ContestRecordsModule, AuthModule],
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
    CrmSyncRepository,
    CrmSyncService,
    CrmSyncScheduler,
    SyncAlertsService,
    SecretBox,
    AmocrmClients,
    // The pull sync of each CRM kind: one puller a kind, found by its `kind`.
    AmocrmPuller,
    Bitrix24Puller,
    OnecPuller,
    OnecDocumentsRepository,
    {
      provide: CRM_PULLERS,
      useFactory: (...pullers: CrmPuller[]): CrmPuller[] => pullers,
      inject: [AmocrmPuller, Bitrix24Puller, OnecPuller],
    },
    ReconciliationRepository,
    ReconciliationService,
  ],
})
export class IntegrationsModule {}
