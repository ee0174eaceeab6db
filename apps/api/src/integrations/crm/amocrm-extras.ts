import { roundHalfAwayFromZero } from '@podium/contest-model';
import type { StoredAmocrmSettings } from '../dto/crm-settings.dto.js';
import {
  AmocrmApiError,
  FILTER_IDS,
  type AmocrmApi,
  type AmocrmApiLead,
  type AmocrmCatalogElement,
} from './amocrm-api.js';
import { countedPipeline, type AmocrmLead } from './amocrm-payload.js';
import { crmMinor, type DealClient, type DealLine } from './deal-observation.js';

type Settings = Pick<
  StoredAmocrmSettings,
  'pipelineIds' | 'wonStatusIds' | 'newClients' | 'productRows'
>;

/** The lead's client: its company (a lead has at most one), else its main contact, else none. */
export function amocrmClientOf(
  lead: Pick<AmocrmApiLead, '_embedded'>,
): { entity: 'companies' | 'contacts'; id: string; clientId: string } | null {
  const company = lead._embedded?.companies?.[0];
  if (company !== undefined) {
    return { entity: 'companies', id: String(company.id), clientId: `company-${company.id}` };
  }
  const contacts = lead._embedded?.contacts ?? [];
  const contact = contacts.find((one) => one.is_main === true) ?? contacts[0];
  if (contact !== undefined) {
    return { entity: 'contacts', id: String(contact.id), clientId: `contact-${contact.id}` };
  }
  return null;
}

/** The price of a catalog element: its `PRICE` field's first value, in major units. */
export function elementPrice(element: AmocrmCatalogElement): number | null {
  const field = element.custom_fields_values?.find((one) => one.field_code === 'PRICE');
  const value = field?.values?.[0]?.value;
  if (value === undefined || value === null || value === '') return 0;
  return typeof value === 'string' || typeof value === 'number' ? crmMinor(value) : null;
}

/**
 * The lead's product rows: each catalog element linked to it, named as the element is, its
 * units the link's `metadata.quantity` (1 when amoCRM leaves it out), its amount the element's
 * price × units; or why they cannot be read.
 */
export function amocrmLinesOf(
  lead: Pick<AmocrmApiLead, '_embedded'>,
  elements: ReadonlyMap<string, AmocrmCatalogElement>,
): DealLine[] | string {
  const lines: DealLine[] = [];
  for (const link of lead._embedded?.catalog_elements ?? []) {
    const element = elements.get(`${link.metadata?.catalog_id ?? ''}:${link.id}`);
    if (element === undefined) return `catalog element ${link.id} could not be read`;
    const raw = link.metadata?.quantity ?? 1;
    const quantity = typeof raw === 'number' ? raw : Number(raw.replace(',', '.'));
    if (!Number.isFinite(quantity)) return `catalog element ${link.id}: quantity is not a number`;
    if (quantity <= 0) continue;
    const price = elementPrice(element);
    if (price === null || price < 0) return `catalog element ${link.id}: PRICE is not an amount`;
    const product = element.name.trim();
    if (product === '') return `catalog element ${link.id} has no name`;
    lines.push({
      product: product.slice(0, 200),
      quantity,
      amountMinor: roundHalfAwayFromZero(price * quantity),
    });
  }
  return lines;
}

/** Whether any of `others` was won (and not deleted) before `wonAt` (Unix seconds). */
export function wonBefore(
  others: readonly AmocrmApiLead[],
  wonAt: number,
  leadId: string,
  wonStatusIds: readonly number[],
): boolean {
  return others.some(
    (other) =>
      String(other.id) !== leadId &&
      other.is_deleted !== true &&
      wonStatusIds.includes(other.status_id) &&
      (other.closed_at ?? other.updated_at) < wonAt,
  );
}

/**
 * Adds to each won lead in a counted pipeline what the settings ask for, read through the API:
 * the lead again `with=contacts,catalog_elements` (50 a query); its client (`company-<id>`, else
 * `contact-<id>`), new when none of the client's other leads (`GET /api/v4/companies/:id?with=leads`,
 * then those leads by id) was won before this one; its product rows from the linked catalog
 * elements (`GET /api/v4/catalogs/:id/elements`). Answers the leads, those it could not read
 * with amoCRM's reason apart. A call amoCRM failed as a whole is such a reason for a webhook
 * (`calls: 'list'`, the default: the next pull sync reads the lead again), and thrown for the
 * pull sync (`'throw'`): the sync stops before its cursor passes the leads, and the next one
 * reads them again, so a won lead is never left out because amoCRM failed once.
 */
export async function withAmocrmExtras(
  api: AmocrmApi,
  leads: readonly AmocrmLead[],
  settings: Settings,
  { calls = 'list' }: { calls?: 'list' | 'throw' } = {},
): Promise<{ leads: AmocrmLead[]; failures: { id: string; reason: string }[] }> {
  const rows = (settings.productRows ?? 'off') !== 'off';
  const clients = settings.newClients === true;
  if (!rows && !clients) return { leads: [...leads], failures: [] };
  const needs = (lead: AmocrmLead) =>
    !lead.deleted &&
    settings.wonStatusIds.includes(lead.statusId) &&
    countedPipeline(lead, settings);
  const ids = [...new Set(leads.filter(needs).map((lead) => lead.id))];
  const read = new Map<string, AmocrmApiLead>();
  const failures: { id: string; reason: string }[] = [];
  const failed = new Map<string, string>();
  try {
    for (let start = 0; start < ids.length; start += FILTER_IDS) {
      const part = ids.slice(start, start + FILTER_IDS);
      for (const lead of await api.leadsById(part, ['contacts', 'catalog_elements'])) {
        read.set(String(lead.id), lead);
      }
    }
  } catch (error) {
    if (!(error instanceof AmocrmApiError) || calls === 'throw') throw error;
    for (const id of ids) failed.set(id, error.message);
  }
  // The catalog elements of every lead, one query per catalog and 50 elements.
  const elements = new Map<string, AmocrmCatalogElement>();
  if (rows) {
    const byCatalog = new Map<string, Set<string>>();
    for (const lead of read.values()) {
      for (const link of lead._embedded?.catalog_elements ?? []) {
        const catalog = String(link.metadata?.catalog_id ?? '');
        if (catalog === '') continue;
        byCatalog.set(catalog, (byCatalog.get(catalog) ?? new Set()).add(String(link.id)));
      }
    }
    for (const [catalog, set] of byCatalog) {
      const wanted = [...set];
      try {
        for (let start = 0; start < wanted.length; start += FILTER_IDS) {
          const found = await api.catalogElements(catalog, wanted.slice(start, start + FILTER_IDS));
          for (const element of found) elements.set(`${catalog}:${element.id}`, element);
        }
      } catch (error) {
        if (!(error instanceof AmocrmApiError) || calls === 'throw') throw error;
        for (const lead of read.values()) {
          const links = lead._embedded?.catalog_elements ?? [];
          if (links.some((link) => String(link.metadata?.catalog_id ?? '') === catalog)) {
            failed.set(String(lead.id), `catalog ${catalog}: ${error.message}`);
          }
        }
      }
    }
  }
  // The leads of each client, read once however many of its leads are here.
  const clientLeads = new Map<string, AmocrmApiLead[] | AmocrmApiError>();
  const leadsOfClient = async (entity: 'companies' | 'contacts', id: string) => {
    const key = `${entity}:${id}`;
    let found = clientLeads.get(key);
    if (found === undefined) {
      try {
        const linked = await api.leadIdsOf(entity, id);
        const all: AmocrmApiLead[] = [];
        for (let start = 0; start < linked.length; start += FILTER_IDS) {
          all.push(...(await api.leadsById(linked.slice(start, start + FILTER_IDS), [])));
        }
        found = all;
      } catch (error) {
        if (!(error instanceof AmocrmApiError) || calls === 'throw') throw error;
        found = error;
      }
      clientLeads.set(key, found);
    }
    return found;
  };
  const result: AmocrmLead[] = [];
  for (const lead of leads) {
    if (!needs(lead)) {
      result.push(lead);
      continue;
    }
    const reason = failed.get(lead.id);
    const api = read.get(lead.id);
    if (reason !== undefined || api === undefined) {
      failures.push({ id: lead.id, reason: reason ?? 'amoCRM did not answer the lead' });
      continue;
    }
    let lines: DealLine[] | undefined;
    if (rows) {
      const found = amocrmLinesOf(api, elements);
      if (typeof found === 'string') {
        failures.push({ id: lead.id, reason: found });
        continue;
      }
      lines = found;
    }
    let client: DealClient | null | undefined;
    if (clients) {
      const of = amocrmClientOf(api);
      if (of === null) client = null;
      else {
        const others = await leadsOfClient(of.entity, of.id);
        if (others instanceof AmocrmApiError) {
          failures.push({ id: lead.id, reason: `${of.clientId}'s leads: ${others.message}` });
          continue;
        }
        const wonAt = lead.wonAt ?? lead.lastModified;
        const isNew = !wonBefore(others, wonAt, lead.id, settings.wonStatusIds);
        client = { id: of.clientId, isNew };
      }
    }
    result.push({
      ...lead,
      ...(lines === undefined ? {} : { lines }),
      ...(client === undefined ? {} : { client }),
    });
  }
  return { leads: result, failures };
}
