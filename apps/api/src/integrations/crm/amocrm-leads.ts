import { Inject, Injectable } from '@nestjs/common';
import { SecretBox, SecretBoxError } from '../../common/secret-box.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import type { StoredAmocrmSettings } from '../dto/crm-settings.dto.js';
import type { IntegrationRecord } from '../integrations.repository.js';
import {
  AmocrmApi,
  AmocrmApiError,
  EVENTS_ENTITY_IDS,
  type AmocrmApiOptions,
  wonMoment,
  type AmocrmApiLead,
  type StatusChange,
} from './amocrm-api.js';
import { withAmocrmExtras } from './amocrm-extras.js';
import { wonJustNow, type AmocrmLead } from './amocrm-payload.js';
import { crmMinor } from './deal-observation.js';

/** A lead that could not be read or turned into a lead Podium counts, with why. */
export interface AmocrmLeadFailure {
  readonly id: string;
  readonly reason: string;
}

/** A custom field's first value as text (`custom_fields_values[].values[0].value`). */
function firstValue(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/**
 * A lead of API v4 in the webhook's terms, won at `wonAt` (Unix seconds) when known. amoCRM's
 * `price` is the budget in major units (leads-api.md: `price int`); a deleted lead (in the bin,
 * `is_deleted`) is no longer won.
 */
export function leadFromApi(lead: AmocrmApiLead, wonAt: number | null): AmocrmLead | string {
  const path = `lead ${lead.id}`;
  if (lead.is_deleted === true) {
    return {
      deleted: true,
      path,
      id: String(lead.id),
      statusId: 0,
      pipelineId: null,
      priceMinor: 0,
      responsibleUserId: '',
      lastModified: lead.updated_at,
      customFields: new Map(),
    };
  }
  const price = lead.price ?? 0;
  const priceMinor = price === '' ? 0 : crmMinor(price);
  if (priceMinor === null || priceMinor < 0) {
    return `price: must be an amount in major units, got ${JSON.stringify(price).slice(0, 40)}`;
  }
  const customFields = new Map<number, string>();
  for (const field of lead.custom_fields_values ?? []) {
    const value = firstValue(field.values?.[0]?.value);
    if (value !== null) customFields.set(field.field_id, value);
  }
  return {
    deleted: false,
    path,
    id: String(lead.id),
    statusId: lead.status_id,
    pipelineId: lead.pipeline_id ?? null,
    priceMinor,
    responsibleUserId: String(lead.responsible_user_id),
    lastModified: lead.updated_at,
    customFields,
    ...(wonAt === null ? {} : { wonAt }),
    ...(lead.created_at === null || lead.created_at === undefined
      ? {}
      : { createdAt: lead.created_at }),
  };
}

/**
 * When each won lead among `leads` was won: their status changes (events API, 10 leads a query,
 * every page), the newest change into a won status; `closed_at` where there is none.
 */
export async function wonMoments(
  api: AmocrmApi,
  leads: readonly AmocrmApiLead[],
  wonStatusIds: readonly number[],
): Promise<Map<string, number>> {
  const won = leads.filter((lead) => wonStatusIds.includes(lead.status_id) && !lead.is_deleted);
  const changes = await statusChangesOf(
    api,
    won.map((lead) => String(lead.id)),
  );
  const moments = new Map<string, number>();
  for (const lead of won) {
    const moment = wonMoment(lead, changes, wonStatusIds);
    if (moment !== null) moments.set(String(lead.id), moment);
  }
  return moments;
}

/** Every status change of these leads (events API, 10 leads a query, every page). */
async function statusChangesOf(api: AmocrmApi, ids: readonly string[]): Promise<StatusChange[]> {
  const changes: StatusChange[] = [];
  for (let start = 0; start < ids.length; start += EVENTS_ENTITY_IDS) {
    const leadIds = ids.slice(start, start + EVENTS_ENTITY_IDS);
    for (let page = 1; ; page += 1) {
      const found = await api.statusChanges({ leadIds, createdFrom: null, page });
      changes.push(...found.items);
      if (!found.hasNext) break;
    }
  }
  return changes;
}

/** API leads → leads with their won moments, and those Podium cannot read. */
export async function leadsWithMoments(
  api: AmocrmApi,
  leads: readonly AmocrmApiLead[],
  settings: Pick<StoredAmocrmSettings, 'wonStatusIds'>,
): Promise<{ leads: AmocrmLead[]; failures: AmocrmLeadFailure[] }> {
  const moments = await wonMoments(api, leads, settings.wonStatusIds);
  const read: AmocrmLead[] = [];
  const failures: AmocrmLeadFailure[] = [];
  for (const lead of leads) {
    const result = leadFromApi(lead, moments.get(String(lead.id)) ?? null);
    if (typeof result === 'string') failures.push({ id: String(lead.id), reason: result });
    else read.push(result);
  }
  return { leads: read, failures };
}

/**
 * A webhook is answered after its reads: three tries (0.5 s and 1 s apart) of 10 s at most, so
 * amoCRM is answered within about 30 s even when its API is down; what fails is listed, and the
 * pull reads it again later.
 */
const WEBHOOK_TRIES = { attempts: 3, timeoutMs: 10_000 } as const;

/** The API client of an amoCRM integration, or null when it has no address and token. */
@Injectable()
export class AmocrmClients {
  constructor(
    private readonly secrets: SecretBox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `tries`: fewer while a webhook waits for its answer than in a background pull. */
  api(
    integration: IntegrationRecord,
    settings: StoredAmocrmSettings,
    tries?: Pick<AmocrmApiOptions, 'attempts' | 'timeoutMs'>,
  ): AmocrmApi | null {
    if (settings.baseUrl === undefined || integration.accessTokenEncrypted === null) return null;
    return new AmocrmApi(settings.baseUrl, this.secrets.open(integration.accessTokenEncrypted), {
      allowPrivate: this.config.allowPrivateCrm === true,
      ...tries,
    });
  }

  /**
   * Dates the won leads of a webhook that does not tell when they were won (an edit, a restore,
   * a new responsible: `last_modified` is that later change) by their last status change into a
   * won status. Without the API, or when amoCRM does not answer, they keep `last_modified`: the
   * sale still counts, and a deal already counted keeps its sale's moment (CrmDealsService).
   */
  async dateWins(
    integration: IntegrationRecord,
    settings: StoredAmocrmSettings,
    leads: readonly AmocrmLead[],
  ): Promise<AmocrmLead[]> {
    const undated = leads.filter(
      (lead) =>
        !lead.deleted &&
        settings.wonStatusIds.includes(lead.statusId) &&
        !wonJustNow(lead, settings.wonStatusIds),
    );
    if (undated.length === 0) return [...leads];
    let changes: StatusChange[];
    try {
      const api = this.api(integration, settings, WEBHOOK_TRIES);
      if (api === null) return [...leads];
      changes = await statusChangesOf(api, [...new Set(undated.map((lead) => lead.id))]);
    } catch (error) {
      if (error instanceof AmocrmApiError || error instanceof SecretBoxError) return [...leads];
      throw error;
    }
    return leads.map((lead) => {
      if (!undated.includes(lead)) return lead;
      const moment = changes
        .filter((change) => change.leadId === lead.id)
        .filter((change) => settings.wonStatusIds.includes(change.statusId))
        .reduce<number | null>((max, change) => Math.max(max ?? change.at, change.at), null);
      return moment === null ? lead : { ...lead, wonAt: moment };
    });
  }

  /**
   * Adds the clients and product rows the settings ask for to the won leads of a webhook,
   * read through the API (which the settings require for them). A lead whose extras cannot be
   * read is a failure, listed for the admin and read again by the pull sync once amoCRM answers.
   */
  async extras(
    integration: IntegrationRecord,
    settings: StoredAmocrmSettings,
    leads: readonly AmocrmLead[],
  ): Promise<{ leads: AmocrmLead[]; failures: AmocrmLeadFailure[] }> {
    if (settings.newClients !== true && (settings.productRows ?? 'off') === 'off') {
      return { leads: [...leads], failures: [] };
    }
    let api: AmocrmApi | null;
    try {
      api = this.api(integration, settings, WEBHOOK_TRIES);
    } catch (error) {
      if (!(error instanceof SecretBoxError)) throw error;
      api = null;
    }
    if (api === null) {
      // Settings stored before the rule that these need the API; the sale counts without them.
      return { leads: [...leads], failures: [] };
    }
    return withAmocrmExtras(api, leads, settings);
  }

  /**
   * Reads the leads a webhook only names (Digital Pipeline), one by one, with their won
   * moments; a lead that cannot be read is a failure with amoCRM's reason, the others are read.
   */
  async read(
    integration: IntegrationRecord,
    settings: StoredAmocrmSettings,
    ids: readonly string[],
  ): Promise<{ leads: AmocrmLead[]; failures: AmocrmLeadFailure[] }> {
    if (ids.length === 0) return { leads: [], failures: [] };
    let api: AmocrmApi | null;
    try {
      api = this.api(integration, settings, WEBHOOK_TRIES);
    } catch (error) {
      // A token stored under another PODIUM_SECRET_KEY: listed, as any read that failed.
      if (!(error instanceof SecretBoxError)) throw error;
      return { leads: [], failures: ids.map((id) => ({ id, reason: error.message })) };
    }
    if (api === null) {
      const reason =
        'the webhook names the lead without its fields (Digital Pipeline): set settings.baseUrl and settings.accessToken so Podium can read it';
      return { leads: [], failures: ids.map((id) => ({ id, reason })) };
    }
    const found: AmocrmApiLead[] = [];
    const failures: AmocrmLeadFailure[] = [];
    for (const id of ids) {
      try {
        const lead = await api.lead(id);
        if (lead === null) failures.push({ id, reason: 'amoCRM answered 204: no such lead' });
        else found.push(lead);
      } catch (error) {
        if (!(error instanceof AmocrmApiError)) throw error;
        failures.push({ id, reason: error.message });
      }
    }
    try {
      const read = await leadsWithMoments(api, found, settings);
      return { leads: read.leads, failures: [...failures, ...read.failures] };
    } catch (error) {
      if (!(error instanceof AmocrmApiError)) throw error;
      const reason = `its status changes could not be read: ${error.message}`;
      return {
        leads: [],
        failures: [...failures, ...found.map((lead) => ({ id: String(lead.id), reason }))],
      };
    }
  }
}
