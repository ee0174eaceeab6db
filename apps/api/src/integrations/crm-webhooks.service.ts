import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { sha256Hex } from '../common/canonical-json.js';
import { CLOCK, type Clock } from '../common/clock.js';
import { validationError } from '../common/validation/zod-validation.pipe.js';
import { EventsService } from '../events/events.service.js';
import { recordFailedLeads, type FailedAmocrmLead } from './crm/amocrm-failures.js';
import { AmocrmClients } from './crm/amocrm-leads.js';
import { amocrmObservation, parseAmocrmLeads, type AmocrmLead } from './crm/amocrm-payload.js';
import {
  applicationTokenOf,
  DELETE_EVENT,
  FETCH_EVENTS,
  LEAD_ADD_EVENT,
  parseBitrix24Call,
  type Bitrix24Call,
} from './crm/bitrix24.js';
import { queryOne } from '../database/sql.js';
import { amocrmSettingsOf, bitrix24SettingsOf, crmContext } from './crm-context.js';
import { amocrmSubdomainOf, type StoredAmocrmSettings } from './dto/crm-settings.dto.js';
import { CrmDealsService } from './crm-deals.service.js';
import { CrmRepository } from './crm.repository.js';
import { Bitrix24Worker } from './bitrix24.worker.js';
import {
  IntegrationsRepository,
  type CrmAccount,
  type IntegrationRecord,
} from './integrations.repository.js';

const UNAUTHORIZED = (message: string) =>
  new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message });

/** Constant-time comparison of a presented secret with the stored sha256 (hex) of the real one. */
export function matchesHash(presented: string, storedHash: string | null): boolean {
  if (storedHash === null) return false;
  const given = Buffer.from(sha256Hex(presented), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The webhooks of amoCRM and Bitrix24, which cannot sign their requests: the URL they post to
 * carries the integration's secret (only its hash is stored), and Bitrix24 also sends the
 * application token of its outgoing webhook. Anything that fails these checks is a 401 before
 * the body is even parsed, and writes nothing.
 */
@Injectable()
export class CrmWebhooksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly integrations: IntegrationsRepository,
    private readonly crm: CrmRepository,
    private readonly deals: CrmDealsService,
    private readonly events: EventsService,
    private readonly worker: Bitrix24Worker,
    private readonly amocrmClients: AmocrmClients,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * amoCRM's lead webhooks (status changed, added, updated, restored, responsible changed,
   * deleted), applied before the answer. Leads the Digital Pipeline names without their fields
   * are read through the API first (outside the transaction); a lead that cannot be read or
   * applied is recorded for the admin and the others are applied: the call is answered 2xx, as
   * amoCRM re-sends a whole batch answered otherwise.
   */
  async amocrm(
    id: string,
    secret: string,
    body: unknown,
  ): Promise<{ leads: number; failed: number }> {
    const integration = await this.authenticate(id, 'amocrm', secret);
    const parsed = parseAmocrmLeads(body);
    if ('issues' in parsed) throw validationError(parsed.issues);
    const settings = amocrmSettingsOf(integration);
    await this.requireAccount(integration, settings, parsed.account);
    const read = await this.amocrmClients.read(
      integration,
      settings,
      parsed.partial.map((lead) => lead.id),
    );
    const groupOf = new Map(parsed.partial.map((lead) => [lead.id, `leads[${lead.group}]`]));
    const failures: FailedAmocrmLead[] = [
      ...parsed.rejected.map((lead) => ({
        dealId: lead.id ?? lead.path,
        event: `leads[${lead.group}]`,
        reason: lead.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '),
      })),
      ...read.failures.map((failure) => ({
        dealId: failure.id,
        event: groupOf.get(failure.id) ?? 'leads[status]',
        reason: failure.reason,
      })),
    ];
    const context = crmContext(integration);
    // Locks are taken in deal id order (no deadlock between two requests naming the same leads),
    // and a lead reported twice in one request is applied oldest first.
    // A deletion comes after any other news of the lead in the same request.
    const order = (lead: AmocrmLead) =>
      lead.deleted ? Number.MAX_SAFE_INTEGER : lead.lastModified;
    const dated = await this.amocrmClients.dateWins(integration, settings, parsed.leads);
    const withExtras = await this.amocrmClients.extras(integration, settings, [
      ...dated,
      ...read.leads,
    ]);
    failures.push(
      ...withExtras.failures.map((failure) => ({
        dealId: failure.id,
        event: groupOf.get(failure.id) ?? 'leads[status]',
        reason: failure.reason,
      })),
    );
    const leads = withExtras.leads.sort((a, b) => a.id.localeCompare(b.id) || order(a) - order(b));
    const now = this.clock.now();
    const contestIds = await this.dataSource.transaction(async (manager) => {
      const touched: string[] = [];
      for (const lead of leads) {
        touched.push(
          ...(await this.deals.apply(manager, context, amocrmObservation(lead, settings, now))),
        );
      }
      await recordFailedLeads(manager, id, failures, now);
      return touched;
    });
    this.events.notifyContests(contestIds);
    await this.integrations.touch(id);
    return { leads: leads.length, failed: failures.length };
  }

  /**
   * The call must come from the integration's amoCRM account: `account[id]` as set in the
   * settings or learned from the first call, `account[subdomain]` as in `baseUrl` or learned.
   * Anything else is a 401 before any write: the secret URL alone, once leaked, does not let
   * another account count sales.
   */
  private async requireAccount(
    integration: IntegrationRecord,
    settings: StoredAmocrmSettings,
    account: { id: string | null; subdomain: string | null },
  ): Promise<void> {
    const check = (expected: CrmAccount) => {
      const wrong = (['id', 'subdomain'] as const).find((field) => {
        const want = expected[field];
        return (
          want !== undefined &&
          want !== null &&
          (account[field] ?? '').toLowerCase() !== want.toLowerCase()
        );
      });
      if (wrong !== undefined) {
        throw UNAUTHORIZED(`account[${wrong}] is not the amoCRM account of this integration`);
      }
    };
    // What the settings say wins over what the first call taught (an admin may correct it).
    const configured = {
      id: settings.accountId === undefined ? null : String(settings.accountId),
      subdomain: amocrmSubdomainOf(settings.baseUrl),
    };
    check(configured);
    let known = integration.crmAccount;
    if (known === null && (account.id !== null || account.subdomain !== null)) {
      known = await this.integrations.learnAccount(integration.id, account);
    }
    check({
      id: configured.id ?? known?.id ?? null,
      subdomain: configured.subdomain ?? known?.subdomain ?? null,
    });
  }

  /**
   * Bitrix24's outgoing webhook. The deal is read from the portal by the background worker:
   * the call is answered as soon as the read is queued in PostgreSQL, so a slow or failing
   * portal never delays the answer, and an acknowledged event survives a crash.
   */
  async bitrix24(
    id: string,
    secret: string,
    body: unknown,
  ): Promise<{ queued: boolean; dealId?: string; ignored?: string }> {
    const integration = await this.authenticate(id, 'bitrix24', secret);
    if (!matchesHash(applicationTokenOf(body), integration.applicationTokenHash)) {
      throw UNAUTHORIZED('auth[application_token] is not the one configured for this integration');
    }
    const call = parseBitrix24Call(body);
    if ('issues' in call) throw validationError(call.issues);
    await this.checkPortal(integration, call);
    const now = this.clock.now();
    if ((FETCH_EVENTS as readonly string[]).includes(call.event)) {
      await this.worker.enqueue({
        integrationId: id,
        dealId: call.dealId,
        event: call.event,
        now,
      });
      await this.integrations.touch(id);
      return { queued: true, dealId: call.dealId };
    }
    if (call.event === LEAD_ADD_EVENT && bitrix24SettingsOf(integration).leads === 'leads') {
      // Queued as a read of its own (`L<id>`): the lead is read and counted by the worker.
      const dealId = `L${call.dealId}`;
      await this.worker.enqueue({ integrationId: id, dealId, event: call.event, now });
      await this.integrations.touch(id);
      return { queued: true, dealId };
    }
    if (call.event === DELETE_EVENT) {
      // A deleted deal cannot be read any more: it is simply no longer won.
      const context = crmContext(integration);
      const contestIds = await this.dataSource.transaction((manager) =>
        this.deals.apply(manager, context, {
          dealId: call.dealId,
          crmUserId: '',
          won: false,
          amountMinor: 0,
          marginMinor: 0,
          currency: null,
          occurredAt: now.toISOString(),
          modifiedAt: now.toISOString(),
        }),
      );
      this.events.notifyContests(contestIds);
      await this.integrations.touch(id);
      return { queued: false, dealId: call.dealId };
    }
    // Answered 200 so Bitrix24 does not retry an event Podium has no use for.
    return { queued: false, ignored: `event ${call.event} is not handled` };
  }

  /**
   * The call must come from the integration's portal: its `auth[domain]` and `auth[member_id]`
   * (sent with every outgoing-webhook call, REST docs events "Parameter auth") match the ones in
   * the settings; those not set yet are learned from this call, the first authenticated one.
   * Learning is one UPDATE in which values already stored win, so of two first calls from
   * different portals exactly one teaches and the other is refused. A refusal writes nothing.
   */
  private async checkPortal(integration: IntegrationRecord, call: Bitrix24Call): Promise<void> {
    if (call.domain === null || call.memberId === null) {
      throw UNAUTHORIZED('auth[domain] and auth[member_id] must name the portal');
    }
    type Account = { domain?: string; memberId?: string };
    const check = (known: Account) => {
      if (known.domain !== undefined && call.domain !== known.domain.toLowerCase()) {
        throw UNAUTHORIZED(`auth[domain] is not ${known.domain}, the portal of this integration`);
      }
      if (known.memberId !== undefined && call.memberId !== known.memberId) {
        throw UNAUTHORIZED('auth[member_id] is not the portal id of this integration');
      }
    };
    const stored = integration.settings as Account;
    check(stored);
    if (stored.domain !== undefined && stored.memberId !== undefined) return;
    const row = await queryOne<{ settings: Account }>(
      this.dataSource,
      `UPDATE integrations SET settings = $2::jsonb || settings
       WHERE id = $1 AND NOT (settings ? 'domain' AND settings ? 'memberId')
       RETURNING settings`,
      [integration.id, JSON.stringify({ domain: call.domain, memberId: call.memberId })],
    );
    // No row: another call taught both meanwhile.
    check(row?.settings ?? (await this.integrations.find(integration.id))?.settings ?? {});
  }

  private async authenticate(
    id: string,
    kind: 'amocrm' | 'bitrix24',
    secret: string,
  ): Promise<IntegrationRecord> {
    const integration = await this.integrations.find(id);
    // One answer for an unknown, revoked or wrong-kind integration and a wrong secret: the
    // answer tells a guesser nothing.
    if (
      !integration ||
      integration.revokedAt !== null ||
      integration.kind !== kind ||
      !matchesHash(secret, integration.secretHash)
    ) {
      throw UNAUTHORIZED('unknown integration or wrong secret in the webhook URL');
    }
    return integration;
  }
}
