import { roundHalfAwayFromZero } from '@podium/contest-model';
import { z } from 'zod';
import type { Bitrix24Settings } from '../dto/crm-settings.dto.js';
import {
  BATCH_LIMIT,
  batchCommand,
  callBitrix24Batch,
  PortalError,
  type Bitrix24CallOptions,
} from './bitrix24-client.js';
import {
  bitrix24DealSchema,
  countedCategory,
  filled,
  saleMomentOf,
  type Bitrix24Deal,
  type Bitrix24DealExtras,
} from './bitrix24.js';
import {
  crmMinor,
  type DealClient,
  type DealLine,
  type LeadObservation,
} from './deal-observation.js';

type Settings = Pick<
  Omit<Bitrix24Settings, 'applicationToken' | 'portalWebhookUrl'>,
  'pipelineIds' | 'newClients' | 'productRows' | 'timeZone'
>;

const count = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);

/**
 * A row of `crm.deal.productrows.get` as Podium reads it (REST docs
 * crm/deals/crm-deal-productrows-get.md, "Тип productrow"): `PRODUCT_NAME` the row's name,
 * `PRICE` the final price of one unit (discounts and included taxes applied), `QUANTITY` the
 * units. The documented answer has numbers (`"PRICE": 899.1`, `"QUANTITY": 1`) next to strings
 * (`"ID": "5"`, `"PRICE_ACCOUNT": "899.10"`), and older portals answer every value as a string:
 * both are read.
 */
export const bitrix24ProductRowSchema = z.looseObject({
  PRODUCT_NAME: z.string().nullable().optional(),
  ORIGINAL_PRODUCT_NAME: z.string().nullable().optional(),
  PRICE: z.union([z.number(), z.string()]),
  QUANTITY: count,
});
export type Bitrix24ProductRow = z.output<typeof bitrix24ProductRowSchema>;

/** A deal's rows as sales see them: named, with units, each row's amount PRICE × QUANTITY. */
export function linesOfRows(rows: readonly Bitrix24ProductRow[]): DealLine[] | string {
  const lines: DealLine[] = [];
  for (const [index, row] of rows.entries()) {
    const product = (row.PRODUCT_NAME ?? '').trim() || (row.ORIGINAL_PRODUCT_NAME ?? '').trim();
    const price = crmMinor(row.PRICE);
    if (price === null || price < 0) return `product row ${index + 1}: PRICE is not an amount`;
    // A row of no units sells nothing (a placeholder row the manager has not filled in).
    if (row.QUANTITY <= 0) continue;
    if (product === '') return `product row ${index + 1}: PRODUCT_NAME is empty`;
    lines.push({
      product: product.slice(0, 200),
      quantity: row.QUANTITY,
      amountMinor: roundHalfAwayFromZero(price * row.QUANTITY),
    });
  }
  return lines;
}

/** The deal's client: its company, else its contact; null when it has neither. */
export function bitrix24ClientOf(
  deal: Pick<Bitrix24Deal, 'COMPANY_ID' | 'CONTACT_ID'>,
): { field: 'COMPANY_ID' | 'CONTACT_ID'; id: string; clientId: string } | null {
  const set = (value: string | null | undefined) =>
    value !== undefined && value !== null && value !== '' && value !== '0' ? value : null;
  const company = set(deal.COMPANY_ID);
  if (company !== null) return { field: 'COMPANY_ID', id: company, clientId: `company-${company}` };
  const contact = set(deal.CONTACT_ID);
  if (contact !== null) return { field: 'CONTACT_ID', id: contact, clientId: `contact-${contact}` };
  return null;
}

/** The fields of another won deal of the client that date its win. */
const earlierDealSchema = bitrix24DealSchema.pick({
  ID: true,
  STAGE_SEMANTIC_ID: true,
  CLOSEDATE: true,
  MOVED_TIME: true,
});

/**
 * Whether the client had a won deal before `deal` was won: the client's other deals in the won
 * stage semantics (`STAGE_SEMANTIC_ID` `S`, in any category), each dated as a sale is dated
 * (`saleMomentOf`), compared with this deal's own win.
 */
export function wonEarlier(
  deal: Bitrix24Deal,
  others: readonly unknown[],
  timeZone: string,
  modifiedAt: string,
): boolean {
  const moment = Date.parse(saleMomentOf(deal, timeZone, modifiedAt));
  return others.some((raw) => {
    const other = earlierDealSchema.safeParse(raw);
    if (!other.success || other.data.ID === deal.ID || other.data.STAGE_SEMANTIC_ID !== 'S') {
      return false;
    }
    return Date.parse(saleMomentOf(other.data, timeZone, modifiedAt)) < moment;
  });
}

/**
 * Reads what the settings ask of each won deal in a counted category, in `batch` calls of 50
 * commands (one request of the portal's pace each): its product rows
 * (`crm.deal.productrows.get`) and, for its client, the client's won deals
 * (`crm.deal.list` filtered by `COMPANY_ID` or `CONTACT_ID` and `STAGE_SEMANTIC_ID` `S`, oldest
 * win first: the first page holds the earliest). Answers each such deal's extras, or the failure
 * of one of its commands in the portal's words; throws a `PortalError` when a call as a whole
 * fails. Deals that are not won need nothing and are left out.
 */
export async function readBitrix24Extras(
  portalWebhookUrl: string,
  deals: readonly Bitrix24Deal[],
  settings: Settings,
  options: Bitrix24CallOptions,
): Promise<Map<string, Bitrix24DealExtras | PortalError>> {
  const rows = (settings.productRows ?? 'off') !== 'off';
  const clients = settings.newClients === true;
  const extras = new Map<string, Bitrix24DealExtras | PortalError>();
  if (!rows && !clients) return extras;
  const won = deals.filter(
    (deal) => deal.STAGE_SEMANTIC_ID === 'S' && countedCategory(deal, settings),
  );
  const commands: [string, string][] = [];
  for (const deal of won) {
    if (rows)
      commands.push([`rows${deal.ID}`, batchCommand('crm.deal.productrows.get', { id: deal.ID })]);
    const client = clients ? bitrix24ClientOf(deal) : null;
    if (client !== null) {
      commands.push([
        `client${deal.ID}`,
        batchCommand('crm.deal.list', {
          filter: { [client.field]: client.id, STAGE_SEMANTIC_ID: 'S', '!ID': deal.ID },
          order: { MOVED_TIME: 'ASC', ID: 'ASC' },
          select: ['ID', 'STAGE_SEMANTIC_ID', 'CLOSEDATE', 'MOVED_TIME'],
        }),
      ]);
    }
  }
  const outcomes = new Map<string, { readonly result: unknown } | PortalError>();
  for (let start = 0; start < commands.length; start += BATCH_LIMIT) {
    const part = Object.fromEntries(commands.slice(start, start + BATCH_LIMIT));
    for (const [key, outcome] of await callBitrix24Batch(portalWebhookUrl, part, options)) {
      outcomes.set(key, outcome);
    }
  }
  for (const deal of won) {
    const found: { client?: DealClient | null; lines?: DealLine[] } = {};
    let failure: PortalError | null = null;
    if (rows) {
      const outcome = outcomes.get(`rows${deal.ID}`);
      const parsed =
        outcome === undefined || outcome instanceof PortalError
          ? null
          : z.array(bitrix24ProductRowSchema).safeParse(outcome.result);
      if (outcome instanceof PortalError) failure = outcome;
      else if (parsed === null || !parsed.success) {
        failure = new PortalError(
          'crm.deal.productrows.get answered rows Podium cannot read',
          false,
        );
      } else {
        const lines = linesOfRows(parsed.data);
        if (typeof lines === 'string') failure = new PortalError(lines, false);
        else found.lines = lines;
      }
    }
    if (clients) {
      const client = bitrix24ClientOf(deal);
      if (client === null) found.client = null;
      else {
        const outcome = outcomes.get(`client${deal.ID}`);
        if (outcome instanceof PortalError) failure ??= outcome;
        else if (outcome === undefined || !Array.isArray(outcome.result)) {
          failure ??= new PortalError('crm.deal.list answered no list of deals', false);
        } else {
          const modifiedAt = filled(deal.DATE_MODIFY) ?? new Date().toISOString();
          const isNew = !wonEarlier(deal, outcome.result, settings.timeZone, modifiedAt);
          found.client = { id: client.clientId, isNew };
        }
      }
    }
    extras.set(deal.ID, failure ?? found);
  }
  return extras;
}

/**
 * An entry of the portal's Leads (`crm.lead.get`, `crm.lead.list`; REST docs crm/leads) as
 * Podium reads it: every value a string, dates ISO 8601 with the portal's offset.
 */
export const bitrix24LeadSchema = z.looseObject({
  ID: z.union([z.string().regex(/^\d+$/), z.int().nonnegative()]).transform(String),
  ASSIGNED_BY_ID: z.union([z.string().regex(/^\d+$/), z.int().nonnegative()]).transform(String),
  DATE_CREATE: z.iso.datetime({ offset: true }),
  COMPANY_ID: z.union([z.string(), z.int()]).nullable().optional(),
  CONTACT_ID: z.union([z.string(), z.int()]).nullable().optional(),
});

/** The fields of a lead Podium reads, for `select`. */
export const LEAD_SELECT = ['ID', 'ASSIGNED_BY_ID', 'DATE_CREATE', 'COMPANY_ID', 'CONTACT_ID'];

/**
 * A Bitrix24 lead → a lead observation `L<id>` (the `L` keeps it apart from the deals, whose
 * ids are the same sequence of digits), or why it cannot be read.
 */
export function bitrix24LeadObservation(raw: unknown): LeadObservation | string {
  const parsed = bitrix24LeadSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `${issue?.path.join('.') || 'lead'}: ${issue?.message ?? 'invalid'}`;
  }
  const lead = parsed.data;
  const text = (value: string | number | null | undefined) =>
    value === undefined || value === null ? undefined : String(value);
  const client = bitrix24ClientOf({
    COMPANY_ID: text(lead.COMPANY_ID),
    CONTACT_ID: text(lead.CONTACT_ID),
  });
  return {
    id: `L${lead.ID}`,
    crmUserId: lead.ASSIGNED_BY_ID,
    createdAt: lead.DATE_CREATE,
    ...(client === null ? {} : { clientId: client.clientId }),
  };
}

/**
 * The reads the webhook queues for the portal's Leads carry the lead's observation id (`L17`),
 * apart from the deals' ids (digits).
 */
export function leadOfRead(readId: string): string | null {
  return /^L(\d{1,20})$/.exec(readId)?.[1] ?? null;
}

/**
 * Reads up to 50 leads (`crm.lead.get` each, by their read ids `L<id>`) in one `batch` call;
 * answers each lead's observation or its own failure, as `fetchBitrix24Deals` does for deals.
 */
export async function fetchBitrix24Leads(
  portalWebhookUrl: string,
  readIds: readonly string[],
  options: Bitrix24CallOptions,
): Promise<Map<string, LeadObservation | PortalError>> {
  const commands = Object.fromEntries(
    readIds.map((readId) => [readId, batchCommand('crm.lead.get', { id: leadOfRead(readId) })]),
  );
  const outcomes = await callBitrix24Batch(portalWebhookUrl, commands, options);
  const leads = new Map<string, LeadObservation | PortalError>();
  for (const readId of readIds) {
    const outcome = outcomes.get(readId);
    if (outcome === undefined) continue;
    if (outcome instanceof PortalError) {
      leads.set(readId, outcome);
      continue;
    }
    const lead = bitrix24LeadObservation(outcome.result);
    leads.set(
      readId,
      typeof lead === 'string'
        ? new PortalError(`the portal answered a lead Podium cannot read (${lead})`, false)
        : lead,
    );
  }
  return leads;
}
