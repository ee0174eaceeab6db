import { BadGatewayException, Injectable } from '@nestjs/common';
import { conflictError } from '../common/http-errors.js';
import { DataSource } from 'typeorm';
import { validationError } from '../common/validation/zod-validation.pipe.js';
import { EventsService } from '../events/events.service.js';
import type { HeldView, Mappings } from './dto/integration.dto.js';
import { crmContext } from './crm-context.js';
import { CrmDealsService } from './crm-deals.service.js';
import { CrmRepository } from './crm.repository.js';
import { IntegrationsRepository } from './integrations.repository.js';
import { requireIntegration } from './integrations.service.js';
import { OnecError } from './crm/onec-odata.js';
import { OnecPuller, type CrmUser } from './sync/onec-puller.js';

/**
 * Which participant each CRM user of an integration is, and the deals held back meanwhile: a
 * deal of an unmapped user waits until the mapping names them, and is counted then.
 */
@Injectable()
export class IntegrationMappingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly integrations: IntegrationsRepository,
    private readonly events: EventsService,
    private readonly crm: CrmRepository,
    private readonly deals: CrmDealsService,
    private readonly onec: OnecPuller,
  ) {}

  /**
   * The CRM users the mapping screen offers, read from the CRM: 1C's users (Catalog_Пользователи,
   * by name). Other kinds name their users in the deals held back; a 409 `kind` for them.
   */
  async crmUsers(id: string): Promise<CrmUser[]> {
    const integration = await requireIntegration(this.integrations, id);
    if (integration.kind !== '1c-odata') {
      throw conflictError('kind', `integrations of kind ${integration.kind} list no CRM users`);
    }
    try {
      return await this.onec.users(integration);
    } catch (error) {
      if (error instanceof OnecError) throw new BadGatewayException(error.message);
      throw error;
    }
  }

  async replaceMappings(id: string, mappings: Mappings): Promise<Mappings> {
    const integration = await requireIntegration(this.integrations, id);
    const unknown = await this.integrations.unknownParticipants([
      ...new Set(Object.values(mappings)),
    ]);
    if (unknown.length > 0) {
      throw validationError(
        Object.entries(mappings)
          .filter(([, participantId]) => unknown.includes(participantId))
          .map(([crmUserId, participantId]) => ({
            path: crmUserId,
            code: 'unknownParticipant',
            message: `unknown participant "${participantId}"`,
          })),
      );
    }
    // The new mapping and the deals it releases are one write: a deal held for a CRM user is
    // counted in the same transaction that maps the user.
    const contestIds = await this.dataSource.transaction(async (manager) => {
      await this.crm.lockIntegration(manager, id, 'update');
      await this.integrations.replaceMappings(manager, id, mappings);
      if (integration.kind === 'webhook') return [];
      const context = crmContext(integration);
      const touched: string[] = [];
      const held = await this.crm.heldForUsers(manager, id, Object.keys(mappings));
      for (const observation of held) {
        touched.push(...(await this.deals.apply(manager, context, observation)));
      }
      return touched;
    });
    this.events.notifyContests(contestIds);
    return this.integrations.mappings(id);
  }

  /** Deals held back (unmapped user, other currency, empty margin field) and reads given up. */
  async held(id: string): Promise<HeldView> {
    await requireIntegration(this.integrations, id);
    const [held, failed, pendingFetches] = await Promise.all([
      this.crm.held(id),
      this.crm.failedFetches(id),
      this.crm.pendingFetches(id),
    ]);
    return {
      deals: held.map((deal) => ({
        dealId: deal.dealId,
        crmUserId: deal.crmUserId,
        reason: deal.reason,
        detail: deal.detail,
        amountMinor: deal.observation.amountMinor,
        marginMinor: deal.observation.marginMinor,
        currency: deal.observation.currency,
        occurredAt: deal.observation.occurredAt,
        heldAt: deal.heldAt.toISOString(),
      })),
      failedFetches: failed.map((fetch) => ({
        dealId: fetch.dealId,
        event: fetch.event,
        attempts: fetch.attempts,
        error: fetch.error,
        receivedAt: fetch.receivedAt.toISOString(),
        failedAt: fetch.failedAt.toISOString(),
      })),
      pendingFetches,
    };
  }

  async mappings(id: string): Promise<Mappings> {
    await requireIntegration(this.integrations, id);
    return this.integrations.mappings(id);
  }
}
