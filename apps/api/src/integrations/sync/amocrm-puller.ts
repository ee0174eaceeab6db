import { Injectable } from '@nestjs/common';
import type { DealObservation } from '../crm/deal-observation.js';
import type { AmocrmApi, AmocrmApiLead } from '../crm/amocrm-api.js';
import { AmocrmClients, leadsWithMoments } from '../crm/amocrm-leads.js';
import { withAmocrmExtras } from '../crm/amocrm-extras.js';
import { amocrmObservation } from '../crm/amocrm-payload.js';
import { amocrmSettingsOf } from '../crm-context.js';
import type { StoredAmocrmSettings } from '../dto/crm-settings.dto.js';
import type { IntegrationRecord } from '../integrations.repository.js';
import type { CrmPuller, PulledPage, SyncCursor } from './crm-puller.js';

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
const iso = (unix: number) => new Date(unix * 1000).toISOString();

/**
 * amoCRM's pull sync: `GET /api/v4/leads?filter[updated_at][from]=<cursor>&order[updated_at]=asc`
 * page by page, each page's won leads dated by their status changes (events API), the cursor
 * the newest `updated_at` applied. The filter's bound is inclusive, so a resumed sync reads the
 * leads of its last second again (harmless: a deal's state decides).
 *
 * Where the account does not apply the filter (the answer holds leads older than asked), the
 * leads are read `order[updated_at]=desc` back to the cursor instead, then applied oldest first.
 */
@Injectable()
export class AmocrmPuller implements CrmPuller {
  readonly kind = 'amocrm' as const;

  constructor(private readonly clients: AmocrmClients) {}

  async *pages(
    integration: IntegrationRecord,
    since: SyncCursor | null,
    from: Date,
    signal: AbortSignal,
  ): AsyncIterable<PulledPage> {
    const settings = amocrmSettingsOf(integration);
    const api = this.clients.api(integration, settings);
    if (api === null) {
      throw new Error(
        'the integration has no settings.baseUrl and settings.accessToken to read amoCRM with',
      );
    }
    const updatedFrom = since === null ? seconds(from) : seconds(new Date(since.modifiedSince));
    let cursor = updatedFrom;
    for (let page = 1; ; page += 1) {
      signal.throwIfAborted();
      const found = await api.leads({ updatedFrom, order: 'asc', page });
      if (found.items.some((lead) => lead.updated_at < updatedFrom)) {
        yield* this.readBack(api, settings, updatedFrom, signal);
        return;
      }
      if (found.items.length === 0) return;
      const result = await this.page(api, settings, found.items, cursor);
      cursor = seconds(new Date(result.cursor.modifiedSince));
      yield result;
      if (!found.hasNext) return;
    }
  }

  /** Newest first back to `updatedFrom`, then applied oldest first in pages of the same size. */
  private async *readBack(
    api: AmocrmApi,
    settings: StoredAmocrmSettings,
    updatedFrom: number,
    signal: AbortSignal,
  ): AsyncIterable<PulledPage> {
    const leads: AmocrmApiLead[] = [];
    for (let page = 1; ; page += 1) {
      signal.throwIfAborted();
      const found = await api.leads({ updatedFrom: null, order: 'desc', page });
      const newer = found.items.filter((lead) => lead.updated_at >= updatedFrom);
      leads.push(...newer);
      if (!found.hasNext || newer.length < found.items.length) break;
    }
    leads.sort((a, b) => a.updated_at - b.updated_at || a.id - b.id);
    let cursor = updatedFrom;
    const size = Math.max(1, Math.min(250, leads.length));
    for (let start = 0; start < leads.length; start += size) {
      signal.throwIfAborted();
      const result = await this.page(api, settings, leads.slice(start, start + size), cursor);
      cursor = seconds(new Date(result.cursor.modifiedSince));
      yield result;
    }
  }

  private async page(
    api: AmocrmApi,
    settings: StoredAmocrmSettings,
    leads: readonly AmocrmApiLead[],
    cursor: number,
  ): Promise<PulledPage> {
    const dated = await leadsWithMoments(api, leads, settings);
    // The won leads' clients and product rows, when the settings read them.
    const extras = await withAmocrmExtras(api, dated.leads, settings, { calls: 'throw' });
    const read = { leads: extras.leads, failures: [...dated.failures, ...extras.failures] };
    const now = new Date();
    const observations: DealObservation[] = read.leads
      .map((lead) => amocrmObservation(lead, settings, now))
      .sort((a, b) => a.modifiedAt.localeCompare(b.modifiedAt));
    const newest = leads.reduce((max, lead) => Math.max(max, lead.updated_at), cursor);
    return {
      observations,
      failures: read.failures.map((failure) => ({ dealId: failure.id, reason: failure.reason })),
      cursor: { modifiedSince: iso(newest) },
    };
  }
}
