import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { bitrix24DealSchema, bitrix24Observation, type Bitrix24Deal } from '../crm/bitrix24.js';
import {
  bitrix24LeadObservation,
  LEAD_SELECT,
  readBitrix24Extras,
} from '../crm/bitrix24-extras.js';
import { callBitrix24, PortalError, type Bitrix24CallOptions } from '../crm/bitrix24-client.js';
import type { DealObservation, LeadObservation } from '../crm/deal-observation.js';
import { bitrix24SettingsOf } from '../crm-context.js';
import type { IntegrationRecord } from '../integrations.repository.js';
import type { CrmPuller, PulledPage, PullFailure, SyncCursor } from './crm-puller.js';

/**
 * How far before the cursor a sync reads again: DATE_MODIFY has whole seconds, and a deal saved
 * in the second the last sync read may not have been visible to it. Reading a deal twice is
 * harmless (its state decides).
 */
export const OVERLAP_MS = 60_000;

/** `crm.deal.list`'s answer: one page of deals, at most 50 (the page size is fixed). */
export interface DealListAnswer {
  readonly result: readonly Record<string, unknown>[];
  /** The `start` of the next page; absent on the last one. */
  readonly next?: number;
  readonly total: number;
}

export type DealListParams = Readonly<{
  filter: Record<string, string>;
  order: Record<string, 'ASC' | 'DESC'>;
  select: readonly string[];
  start: number;
}>;

/**
 * One call of `crm.deal.list` (REST docs crm/deals/crm-deal-list.md) through the polite client:
 * paced with every other call to the portal, retried while the failure heals within seconds.
 */
export async function listDeals(
  portalWebhookUrl: string,
  params: DealListParams,
  options: Bitrix24CallOptions,
  method: 'crm.deal.list' | 'crm.lead.list' = 'crm.deal.list',
): Promise<DealListAnswer> {
  const answer = await callBitrix24<unknown>(portalWebhookUrl, method, params, options);
  if (!Array.isArray(answer.result)) {
    throw new PortalError(`${method}: the portal answered no list`, false);
  }
  const result = answer.result.filter(
    (deal): deal is Record<string, unknown> => deal !== null && typeof deal === 'object',
  );
  return {
    result,
    ...(answer.next === undefined ? {} : { next: answer.next }),
    total: answer.total ?? result.length,
  };
}

/** `2026-03-05T15:00:00+00:00`: a time as Bitrix24's filters take it. */
function filterTime(at: Date): string {
  return `${at.toISOString().slice(0, 19)}+00:00`;
}

/**
 * Reads the deals of a Bitrix24 portal modified since the cursor, oldest first, 50 a page.
 * Each next page is asked from the last deal's modification time (`>=DATE_MODIFY`), skipping the
 * deals of that very time already read (`start`), rather than by offset from the first request:
 * a deal modified while the pages are read moves to the end of the order, and with offsets the
 * deal behind it would slip from one page to the one already read and never be seen.
 */
@Injectable()
export class Bitrix24Puller implements CrmPuller {
  readonly kind = 'bitrix24' as const;

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async *pages(
    integration: IntegrationRecord,
    since: SyncCursor | null,
    from: Date,
    signal: AbortSignal,
  ): AsyncIterable<PulledPage> {
    const url = integration.portalWebhookUrl;
    if (url === null) throw new PortalError('the integration has no inbound webhook URL', false);
    const settings = bitrix24SettingsOf(integration);
    // The fields the observation reads (the schema's), the margin field, and the stage move time.
    const select = [
      ...new Set([
        ...Object.keys(bitrix24DealSchema.shape),
        'MOVED_TIME',
        ...(settings.marginField === undefined ? [] : [settings.marginField]),
      ]),
    ];
    let filter: Record<string, string> =
      since === null
        ? { '>=DATE_MODIFY': filterTime(from) }
        : {
            '>DATE_MODIFY': filterTime(
              new Date(new Date(since.modifiedSince).getTime() - OVERLAP_MS),
            ),
          };
    let start = 0;
    let cursor: SyncCursor = since ?? { modifiedSince: from.toISOString() };
    const options = {
      timeoutMs: settings.timeoutMs,
      allowPrivate: this.config.allowPrivateCrm === true,
      signal,
    };
    for (;;) {
      const answer = await listDeals(
        url,
        { filter, order: { DATE_MODIFY: 'ASC', ID: 'ASC' }, select, start },
        options,
      );
      const now = this.clock.now();
      const observations: DealObservation[] = [];
      const failures: PullFailure[] = [];
      const deals: Bitrix24Deal[] = [];
      for (const raw of answer.result) {
        const parsed = bitrix24DealSchema.safeParse(raw);
        if (parsed.success) {
          deals.push(parsed.data);
        } else {
          const issue = parsed.error.issues[0];
          failures.push({
            dealId: typeof raw.ID === 'string' || typeof raw.ID === 'number' ? String(raw.ID) : '?',
            reason: `${issue?.path.join('.') || 'deal'}: ${issue?.message ?? 'invalid'}`,
          });
        }
      }
      // The won deals' clients and product rows, when the settings read them: a deal whose
      // extras cannot be read is listed with the sync's failures, as a deal it cannot read is.
      const extras = await readBitrix24Extras(url, deals, settings, options);
      for (const deal of deals) {
        const extra = extras.get(deal.ID) ?? {};
        if (extra instanceof PortalError) failures.push({ dealId: deal.ID, reason: extra.message });
        else observations.push(bitrix24Observation(deal, settings, now, extra));
      }
      const last = answer.result.at(-1)?.DATE_MODIFY;
      const lastTime = typeof last === 'string' && !Number.isNaN(Date.parse(last)) ? last : null;
      if (lastTime !== null) {
        const current = new Date(cursor.modifiedSince).getTime();
        const read = new Date(lastTime).toISOString();
        // Never backwards: the overlap re-reads deals older than the cursor.
        if (Date.parse(read) > current) cursor = { ...cursor, modifiedSince: read };
      }
      if (answer.next === undefined || lastTime === null) {
        yield { observations, failures, cursor };
        if (settings.leads === 'leads') yield* this.leads(url, cursor, from, options);
        return;
      }
      yield { observations, failures, cursor };
      // Deals of the last one's very time already read, this page and the ones before.
      const sameTime = answer.result.filter((deal) => deal.DATE_MODIFY === lastTime).length;
      const previous = filter['>=DATE_MODIFY'] === lastTime ? start : 0;
      filter = { '>=DATE_MODIFY': lastTime };
      start = previous + sameTime;
    }
  }

  /**
   * The portal's Leads created since the last sync (`crm.lead.list`, `>=DATE_CREATE`, oldest
   * first, 50 a page), each a lead observation; the cursor keeps the newest creation read
   * (`extra.leadsCreatedSince`). A lead's creation never changes, so every lead is read once,
   * save those of the cursor's very second, which the `lead` event's externalId makes harmless.
   */
  private async *leads(
    url: string,
    dealCursor: SyncCursor,
    from: Date,
    options: Bitrix24CallOptions,
  ): AsyncIterable<PulledPage> {
    const since = dealCursor.extra?.leadsCreatedSince;
    let createdSince = typeof since === 'string' ? since : from.toISOString();
    let start = 0;
    const filterFrom = createdSince;
    for (;;) {
      const answer = await listDeals(
        url,
        {
          filter: { '>=DATE_CREATE': filterTime(new Date(filterFrom)) },
          order: { DATE_CREATE: 'ASC', ID: 'ASC' },
          select: LEAD_SELECT,
          start,
        },
        options,
        'crm.lead.list',
      );
      const leads: LeadObservation[] = [];
      const failures: PullFailure[] = [];
      for (const raw of answer.result) {
        const lead = bitrix24LeadObservation(raw);
        if (typeof lead === 'string') {
          const id =
            typeof raw.ID === 'string' || typeof raw.ID === 'number' ? String(raw.ID) : '?';
          failures.push({ dealId: `L${id}`, reason: lead });
        } else {
          leads.push(lead);
          if (Date.parse(lead.createdAt) > Date.parse(createdSince)) {
            createdSince = new Date(lead.createdAt).toISOString();
          }
        }
      }
      yield {
        observations: [],
        leads,
        failures,
        cursor: { ...dealCursor, extra: { ...dealCursor.extra, leadsCreatedSince: createdSince } },
      };
      if (answer.next === undefined) return;
      start = answer.next;
    }
  }
}
