import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import {
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { PublicUrl } from '../common/public-url.js';
import { arrayOf, named } from '../common/validation/api-response.js';
import { ApiZodBody, ApiZodQuery } from '../common/validation/api-zod.js';
import { ZodValidationPipe } from '../common/validation/zod-validation.pipe.js';
import { actorOf } from '../auth/actor.js';
import { ingestBodyDocSchema } from '../events/dto/ingest.dto.js';
import {
  createIntegrationSchema,
  mappingsSchema,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  type CreateIntegration,
  type Mappings,
  type UpdateIntegration,
  updateIntegrationSchema,
  createdIntegrationViewSchema,
  crmUserSchema,
  heldViewSchema,
  integrationViewSchema,
} from './dto/integration.dto.js';
import { CrmWebhooksService } from './crm-webhooks.service.js';
import { IntegrationMappingsService } from './integration-mappings.service.js';
import { IntegrationsService } from './integrations.service.js';
import { reconciliationQuerySchema, reconciliationViewSchema } from './dto/reconciliation.dto.js';
import { ReconciliationService } from './reconciliation.service.js';
import { SignedWebhooksService } from './signed-webhooks.service.js';
import { CrmSyncService } from './sync/crm-sync.service.js';
import { SyncAlertsService } from './sync/sync-alerts.service.js';
import { syncAlertSchema, syncRunSchema } from './sync/sync-view.js';

const id = new ZodValidationPipe(z.uuid({ error: 'must be an integration id (UUID)' }));

@ApiTags('integrations')
@Controller()
export class IntegrationsController {
  constructor(
    private readonly integrations: IntegrationsService,
    private readonly integrationMappings: IntegrationMappingsService,
    private readonly signedWebhooks: SignedWebhooksService,
    private readonly crmWebhooks: CrmWebhooksService,
    private readonly crmSync: CrmSyncService,
    private readonly syncAlerts: SyncAlertsService,
    private readonly reconciliation: ReconciliationService,
    private readonly publicUrl: PublicUrl,
  ) {}

  @Post('integrations')
  @ApiZodBody(
    createIntegrationSchema,
    'Answers the secret once, with the webhook URL the CRM posts to',
  )
  @ApiCreatedResponse({
    description: 'The integration with its `secret`, shown this once',
    schema: named('CreatedIntegration', createdIntegrationViewSchema),
  })
  create(
    @Body(new ZodValidationPipe(createIntegrationSchema)) body: CreateIntegration,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.integrations.create(body, actorOf(principal), this.publicUrl.base());
  }

  @Get('integrations')
  @ApiOkResponse({
    description: 'Every integration, revoked ones too',
    schema: arrayOf('Integration', integrationViewSchema),
  })
  list() {
    return this.integrations.list(this.publicUrl.base());
  }

  @Get('integrations/sync-alerts')
  @ApiOkResponse({
    description: 'CRM integrations whose last three pull syncs or more failed in a row',
    schema: arrayOf('SyncAlert', syncAlertSchema),
  })
  alerts() {
    return this.syncAlerts.alerts();
  }

  @Get('integrations/:id')
  @ApiOkResponse({
    description: 'One integration, with its pull sync (CRM kinds)',
    schema: named('Integration', integrationViewSchema),
  })
  get(@Param('id', id) integrationId: string) {
    return this.integrations.get(integrationId, this.publicUrl.base());
  }

  @Post('integrations/:id/sync')
  @HttpCode(200)
  @ApiOkResponse({
    description:
      'Pulls what changed in the CRM now and answers the outcome; 409 `{ code: "sync_running" | "revoked" | "kind" }` (a kind without a sync)',
    schema: named('SyncRun', syncRunSchema),
  })
  sync(@Param('id', id) integrationId: string) {
    return this.crmSync.syncNow(integrationId);
  }

  @Patch('integrations/:id')
  @ApiZodBody(
    updateIntegrationSchema,
    "A new name and/or the whole settings (checked per kind); credentials left out are kept (Bitrix24's, amoCRM's token, 1C's password)",
  )
  @ApiOkResponse({
    description: 'The changed integration',
    schema: named('Integration', integrationViewSchema),
  })
  update(
    @Param('id', id) integrationId: string,
    @Body(new ZodValidationPipe(updateIntegrationSchema)) body: UpdateIntegration,
  ) {
    return this.integrations.update(integrationId, body, this.publicUrl.base());
  }

  @Delete('integrations/:id')
  @HttpCode(204)
  revoke(@Param('id', id) integrationId: string) {
    return this.integrations.revoke(integrationId);
  }

  @Get('integrations/:id/held')
  @ApiOkResponse({
    description: 'Deals held back and CRM reads that failed',
    schema: named('Held', heldViewSchema),
  })
  held(@Param('id', id) integrationId: string) {
    return this.integrationMappings.held(integrationId);
  }

  @Get('integrations/:id/reconciliation')
  @ApiZodQuery(reconciliationQuerySchema)
  @ApiOkResponse({
    description:
      "Won deals the CRM reported for the contest's period against the sales the contest counts from this integration, and every difference with its reason",
    schema: named('Reconciliation', reconciliationViewSchema),
  })
  reconcile(
    @Param('id', id) integrationId: string,
    @Query(new ZodValidationPipe(reconciliationQuerySchema)) query: { contestId: string },
  ) {
    return this.reconciliation.reconcile(integrationId, query.contestId);
  }

  @Get('integrations/:id/mappings')
  @ApiOkResponse({
    description: '`{ "<CRM user id>": "<participant id>" }`',
    schema: named('Mappings', mappingsSchema),
  })
  mappings(@Param('id', id) integrationId: string) {
    return this.integrationMappings.mappings(integrationId);
  }

  @Get('integrations/:id/crm-users')
  @ApiOkResponse({
    description:
      'The CRM users to map, read from the CRM (1C: Catalog_Пользователи); 409 `{ code: "kind" }` for a kind that lists none, 502 when the CRM cannot be read',
    schema: arrayOf('CrmUser', crmUserSchema),
  })
  crmUsers(@Param('id', id) integrationId: string) {
    return this.integrationMappings.crmUsers(integrationId);
  }

  @Put('integrations/:id/mappings')
  @ApiZodBody(
    mappingsSchema,
    '`{ "<CRM user id>": "<participant id>" }`, replacing the whole mapping',
  )
  @ApiOkResponse({
    description: 'The stored mapping',
    schema: named('Mappings', mappingsSchema),
  })
  replaceMappings(
    @Param('id', id) integrationId: string,
    @Body(new ZodValidationPipe(mappingsSchema)) mappings: Mappings,
  ) {
    return this.integrationMappings.replaceMappings(integrationId, mappings);
  }

  @Post('webhooks/:id')
  @ApiHeader({
    name: TIMESTAMP_HEADER,
    description: 'Unix seconds; refused when more than 5 minutes away',
    required: true,
  })
  @ApiHeader({
    name: SIGNATURE_HEADER,
    description: 'sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">',
    required: true,
  })
  @ApiZodBody(
    ingestBodyDocSchema,
    'The body of POST /api/events, signed; participantId may be a mapped CRM user id',
  )
  async receive(
    @Param('id', id) integrationId: string,
    @Headers(TIMESTAMP_HEADER) timestamp: string | undefined,
    @Headers(SIGNATURE_HEADER) signature: string | undefined,
    @Req() request: RawBodyRequest<FastifyRequest>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const answer = await this.signedWebhooks.receive(integrationId, {
      timestamp,
      signature,
      rawBody: request.rawBody,
      body: request.body,
    });
    reply.status(answer.status);
    return answer.body;
  }

  /** amoCRM's lead webhooks (form-encoded, as amoCRM sends them); the secret is in the path. */
  @Post('webhooks/amocrm/:id/:secret')
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOkResponse({
    description:
      '`{ leads }`: the leads of `leads[status|add|update|delete][i][…]` applied (README: Connecting a CRM)',
  })
  amocrm(
    @Param('id', id) integrationId: string,
    @Param('secret') secret: string,
    @Body() body: unknown,
  ) {
    return this.crmWebhooks.amocrm(integrationId, secret, body);
  }

  /** Bitrix24's outgoing webhook (form-encoded); answered once the deal read is queued. */
  @Post('webhooks/bitrix24/:id/:secret')
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOkResponse({
    description:
      '`{ queued, dealId }` once the deal read is stored; `auth[application_token]` must match (else 401)',
  })
  bitrix24(
    @Param('id', id) integrationId: string,
    @Param('secret') secret: string,
    @Body() body: unknown,
  ) {
    return this.crmWebhooks.bitrix24(integrationId, secret, body);
  }
}
