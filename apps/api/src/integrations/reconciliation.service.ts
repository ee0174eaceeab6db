import { Injectable } from '@nestjs/common';
import { compileContest, resolveCountedEvents, type SaleEvent } from '@podium/contest-model';
import { conflictError } from '../common/http-errors.js';
import { ContestRecordsService } from '../contests/contest-records.service.js';
import { parseStoredFile } from '../contests/stored-file.js';
import { EventLogService } from '../events/event-log.service.js';
import { crmContext } from './crm-context.js';
import { dealOfSale } from './crm-deals.service.js';
import type { ReconciliationDifference, ReconciliationView } from './dto/reconciliation.dto.js';
import { IntegrationsRepository } from './integrations.repository.js';
import { requireIntegration } from './integrations.service.js';
import { ReconciliationRepository, type ReportedDeal } from './reconciliation.repository.js';

/**
 * A CRM integration's reconciliation for one contest (DESIGN §6b): the won deals the CRM reported
 * for the contest's period (from Podium's per-deal state) against the sales the contest counts
 * from this integration (by the model's own rule of what counts), and every difference with its
 * reason.
 */
@Injectable()
export class ReconciliationService {
  constructor(
    private readonly integrations: IntegrationsRepository,
    private readonly reported: ReconciliationRepository,
    private readonly contests: ContestRecordsService,
    private readonly eventLog: EventLogService,
  ) {}

  async reconcile(integrationId: string, contestId: string): Promise<ReconciliationView> {
    const integration = await requireIntegration(this.integrations, integrationId);
    if (integration.kind === 'webhook') {
      throw conflictError(
        'kind',
        `a reconciliation compares a CRM's deals; integration ${integrationId} is a ${integration.kind}`,
      );
    }
    const context = crmContext(integration);
    const contest = await this.contests.require(contestId);
    const start = contest.periodStart;
    const end = contest.periodEnd;
    const [deals, failed, events] = await Promise.all([
      this.reported.reportedWon(integrationId, start, end),
      this.reported.failedReads(integrationId, start),
      this.eventLog.contestEvents(contestId),
    ]);
    const file = parseStoredFile(contest.frozenFile ?? contest.definition);
    const counted = resolveCountedEvents({ contest: compileContest({ file }), events });
    const sales = new Map<string, SaleEvent[]>();
    for (const list of counted.values())
      for (const { event } of list) {
        if (event.type !== 'sale' || event.source !== context.source) continue;
        const dealId = dealOfSale(context.prefix, event.externalId);
        if (dealId === null) continue;
        sales.set(dealId, [...(sales.get(dealId) ?? []), event]);
      }

    const inCurrency = (currency: string | null) =>
      currency === null || currency === contest.currency;
    const inPeriod = (deal: ReportedDeal) => deal.wonAt >= start && deal.wonAt < end;
    const crmDeals = deals.filter(inPeriod);
    const differences: ReconciliationDifference[] = [];
    const listed = new Set<string>();
    const differ = (
      deal: ReportedDeal,
      reason: ReconciliationDifference['reason'],
      detail: string,
    ) => {
      listed.add(deal.dealId);
      differences.push({
        dealId: deal.dealId,
        reason,
        detail,
        crmUserId: deal.crmUserId,
        participantId: deal.saleParticipantId,
        wonAt: deal.wonAt.toISOString(),
        amountMinor: deal.amountMinor,
        currency: deal.currency,
      });
    };
    for (const deal of deals) {
      if (sales.has(deal.dealId)) continue;
      if (!inPeriod(deal)) {
        differ(
          deal,
          'outsidePeriod',
          `won ${deal.wonAt.toISOString()}, outside the contest's period`,
        );
      } else if (deal.held !== null) {
        differ(deal, deal.held.reason, deal.held.detail);
      } else if (deal.outsidePipeline) {
        differ(deal, 'outsidePipeline', 'won in a pipeline the integration does not count');
      } else {
        differ(
          deal,
          'notInContest',
          deal.saleParticipantId === null
            ? 'counted by no contest'
            : `its sale counts for ${deal.saleParticipantId}, who is not in this contest`,
        );
      }
    }
    for (const read of failed) {
      if (sales.has(read.dealId) || listed.has(read.dealId)) continue;
      listed.add(read.dealId);
      differences.push({
        dealId: read.dealId,
        reason: 'failedRead',
        detail: read.error,
        crmUserId: null,
        participantId: null,
        wonAt: null,
        amountMinor: null,
        currency: null,
      });
    }
    const reportedIds = new Set(crmDeals.map((deal) => deal.dealId));
    for (const [dealId, ofDeal] of sales) {
      if (reportedIds.has(dealId)) continue;
      for (const sale of ofDeal)
        differences.push({
          dealId,
          reason: 'notWonInCrm',
          detail: `the contest counts ${sale.externalId}; the CRM no longer reports the deal won in the period`,
          crmUserId: null,
          participantId: sale.participantId,
          wonAt: sale.occurredAt,
          amountMinor: sale.amountMinor,
          currency: contest.currency,
        });
    }
    const countedSales = [...sales.values()].flat();
    return {
      integrationId,
      contestId,
      contestName: contest.name,
      periodStart: start.toISOString(),
      periodEnd: end.toISOString(),
      currency: contest.currency,
      crm: {
        count: crmDeals.length,
        amountMinor: crmDeals
          .filter((deal) => inCurrency(deal.currency))
          .reduce((sum, deal) => sum + (deal.amountMinor ?? 0), 0),
      },
      podium: {
        // Deals, as the CRM's side counts them: a deal counted per product row is one deal.
        count: sales.size,
        amountMinor: countedSales.reduce((sum, sale) => sum + sale.amountMinor, 0),
      },
      differences,
    };
  }
}
