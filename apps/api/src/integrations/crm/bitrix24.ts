import { z } from 'zod';
import type { FieldIssue } from '../../common/validation/zod-validation.pipe.js';
import { portalDomain, portalMemberId, type Bitrix24Settings } from '../dto/crm-settings.dto.js';
import {
  crmMinor,
  marginAtRate,
  type DealClient,
  type DealLine,
  type DealObservation,
} from './deal-observation.js';
import {
  batchCommand,
  callBitrix24Batch,
  PortalError,
  type Bitrix24CallOptions,
} from './bitrix24-client.js';

export { PortalError } from './bitrix24-client.js';

/**
 * Events that mean "read this deal again". An outgoing webhook can subscribe to the first two
 * only: `ONCRMDEALMOVETOCATEGORY` (the deal moved to another funnel, which sends no
 * `ONCRMDEALUPDATE`) can be subscribed by an application alone (REST docs, crm/deals/events
 * "How to Receive Events": "only through the application and the method event.bind"). When an
 * application does send it, its `CATEGORY_ID` and `STAGE_ID` are not the whole deal: it is read.
 */
export const FETCH_EVENTS = ['ONCRMDEALADD', 'ONCRMDEALUPDATE', 'ONCRMDEALMOVETOCATEGORY'] as const;
export const DELETE_EVENT = 'ONCRMDEALDELETE';
/**
 * A lead added to the portal's Leads (REST docs crm/leads/events, `ONCRMLEADADD`, sent as the
 * deal events are with `data[FIELDS][ID]` the lead's id): read when the integration counts them.
 */
export const LEAD_ADD_EVENT = 'ONCRMLEADADD';

/**
 * Bitrix24's outgoing webhook (event handler) as Bitrix24 calls it: form-encoded
 * `event=ONCRMDEALUPDATE&data[FIELDS][ID]=42&ts=<unix s>&auth[domain]=acme.bitrix24.ru
 * &auth[client_endpoint]=…&auth[server_endpoint]=…&auth[member_id]=…&auth[application_token]=…`.
 * It carries only the deal id: the deal itself is read through the portal's inbound webhook.
 * It is sent once: "if your server does not respond or returns an error, the Bitrix24 queue
 * server will log the failure but will not resend the event" (REST docs, events "Event
 * Limitations"), so a call is stored before it is answered and never refused for being busy.
 */
export interface Bitrix24Call {
  readonly event: string;
  readonly dealId: string;
  readonly applicationToken: string;
  /** The portal the call comes from (`auth[domain]`, lower case) and its id (`auth[member_id]`). */
  readonly domain: string | null;
  readonly memberId: string | null;
}

export function parseBitrix24Call(body: unknown): Bitrix24Call | { issues: FieldIssue[] } {
  const fields =
    body !== null && typeof body === 'object' && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : {};
  const text = (key: string) => {
    const value = fields[key];
    const first = Array.isArray(value) ? value[0] : value;
    return typeof first === 'string' ? first.trim() : '';
  };
  const issues: FieldIssue[] = [];
  const event = text('event').toUpperCase();
  if (!/^[A-Z0-9_]{1,100}$/.test(event)) {
    issues.push({ path: 'event', message: 'must be the event name, e.g. ONCRMDEALUPDATE' });
  }
  const dealId = text('data[FIELDS][ID]');
  if (!/^\d{1,20}$/.test(dealId)) {
    issues.push({ path: 'data[FIELDS][ID]', message: 'must be the deal (or lead) id' });
  }
  // Checked as the settings check them: a portal learned from a call is a valid setting.
  const portal = (key: string, schema: typeof portalDomain) => {
    if (text(key) === '') return null;
    const parsed = schema.safeParse(text(key));
    if (parsed.success) return parsed.data;
    issues.push({ path: key, message: parsed.error.issues[0]?.message ?? 'invalid' });
    return null;
  };
  const domain = portal('auth[domain]', portalDomain);
  const memberId = portal('auth[member_id]', portalMemberId);
  if (issues.length > 0) return { issues };
  return { event, dealId, applicationToken: text('auth[application_token]'), domain, memberId };
}

/** The application token of a form body, for the check that precedes everything else. */
export function applicationTokenOf(body: unknown): string {
  if (body === null || typeof body !== 'object') return '';
  const value = (body as Record<string, unknown>)['auth[application_token]'];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : '';
}

const id = z.union([z.string().regex(/^\d+$/), z.int().nonnegative()]).transform(String);
const amount = z.union([
  z
    .string()
    .refine((value) => value.trim() === '' || crmMinor(value) !== null, 'must be a decimal amount'),
  z.number(),
]);

/**
 * A date or date-time field as the REST API answers it: ISO 8601 with the portal's offset
 * (`"2024-09-09T02:00:00+02:00"`, REST docs crm.deal.get "Response Handling"), or `""` when the
 * field is empty (a captured `crm.contact.get` answer: `"BIRTHDATE": ""`). Null and absent are
 * taken too (fields left out of a `select`).
 */
const portalDate = z
  .union([z.literal(''), z.iso.datetime({ offset: true }), z.iso.date()])
  .optional()
  .nullable();

/** The fields of `crm.deal.get` Podium reads (the REST API answers every value as a string). */
export const bitrix24DealSchema = z.looseObject({
  ID: id,
  STAGE_SEMANTIC_ID: z.enum(['S', 'F', 'P']),
  OPPORTUNITY: amount,
  CURRENCY_ID: z.string().regex(/^[A-Z]{3}$/),
  ASSIGNED_BY_ID: id,
  CATEGORY_ID: id.optional().nullable(),
  CLOSEDATE: portalDate,
  DATE_MODIFY: portalDate,
  MOVED_TIME: portalDate,
  /** When the deal was created: its lead moment, when the integration counts deals as leads. */
  DATE_CREATE: portalDate,
  /** The deal's client: its company, else its contact ("0" or empty: none). */
  COMPANY_ID: z
    .union([id, z.literal('')])
    .optional()
    .nullable(),
  CONTACT_ID: z
    .union([id, z.literal('')])
    .optional()
    .nullable(),
});
export type Bitrix24Deal = z.output<typeof bitrix24DealSchema>;

/** A date field's value, or null when the portal left it empty. */
export function filled(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}

/** Minutes east of UTC that `timeZone` is at `at` (`Intl`'s "GMT+03:00"). */
export function offsetMinutes(at: Date, timeZone: string): number {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

/**
 * Noon of `day` (YYYY-MM-DD) in `timeZone`, with that zone's offset: an instant on that calendar
 * day whichever zone between UTC−11 and UTC+11 reads it (a contest's period bounds included).
 */
export function noonOf(day: string, timeZone: string): string {
  const offset = offsetMinutes(new Date(`${day}T12:00:00Z`), timeZone);
  const sign = offset < 0 ? '-' : '+';
  const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offset) % 60).padStart(2, '0');
  return `${day}T12:00:00${sign}${hours}:${minutes}`;
}

/**
 * When the sale happened. A won deal (`STAGE_SEMANTIC_ID` `S`) is dated by `MOVED_TIME`, the
 * moment it entered its current stage: the win. `CLOSEDATE` is only the last resort: it is a
 * date the portal sets to creation + 7 days (REST docs crm.deal.add, CLOSEDATE "by default the
 * creation date plus 7 days") and people rarely correct when the deal is won; its offset is the
 * one of whoever saved it, so only its calendar date counts, read in the portal's time zone.
 * Neither filled: the deal's modification time.
 */
export function saleMomentOf(
  deal: Pick<Bitrix24Deal, 'STAGE_SEMANTIC_ID' | 'MOVED_TIME' | 'CLOSEDATE'>,
  timeZone: string,
  modifiedAt: string,
): string {
  const moved = filled(deal.MOVED_TIME);
  if (deal.STAGE_SEMANTIC_ID === 'S' && moved !== null) return moved;
  const close = filled(deal.CLOSEDATE);
  if (close !== null) return noonOf(close.slice(0, 10), timeZone);
  return modifiedAt;
}

/** A money field: "1234.50", 1234.5 or Bitrix24's money type "1234.50|RUB". */
function moneyField(value: unknown): number | null {
  return typeof value === 'number' || typeof value === 'string' ? crmMinor(value) : null;
}

type StoredBitrix24Settings = Omit<Bitrix24Settings, 'applicationToken' | 'portalWebhookUrl'>;

/** Whether the deal's category (funnel) is one the integration counts. */
export function countedCategory(
  deal: Pick<Bitrix24Deal, 'CATEGORY_ID'>,
  settings: Pick<StoredBitrix24Settings, 'pipelineIds'>,
): boolean {
  const category =
    deal.CATEGORY_ID === undefined || deal.CATEGORY_ID === null ? 0 : Number(deal.CATEGORY_ID);
  return settings.pipelineIds.length === 0 || settings.pipelineIds.includes(category);
}

/** What the portal's other methods add to a won deal: its client and product rows. */
export interface Bitrix24DealExtras {
  readonly client?: DealClient | null;
  readonly lines?: readonly DealLine[];
}

export function bitrix24Observation(
  deal: Bitrix24Deal,
  settings: StoredBitrix24Settings,
  now: Date,
  extras: Bitrix24DealExtras = {},
): DealObservation {
  const counted = countedCategory(deal, settings);
  // The schema refused anything but an amount or an empty field (no amount yet: 0).
  const amountMinor = crmMinor(deal.OPPORTUNITY) ?? 0;
  const marginMinor =
    settings.marginField !== undefined
      ? moneyField((deal as Record<string, unknown>)[settings.marginField])
      : marginAtRate(amountMinor, settings.marginRate ?? 0);
  const modifiedAt = filled(deal.DATE_MODIFY) ?? now.toISOString();
  return {
    dealId: deal.ID,
    crmUserId: deal.ASSIGNED_BY_ID,
    won: counted && deal.STAGE_SEMANTIC_ID === 'S',
    outsidePipeline: !counted && deal.STAGE_SEMANTIC_ID === 'S',
    amountMinor,
    marginMinor,
    currency: deal.CURRENCY_ID,
    occurredAt: saleMomentOf(deal, settings.timeZone, modifiedAt),
    modifiedAt,
    ...(settings.leads === 'deals' && counted && filled(deal.DATE_CREATE) !== null
      ? { createdAt: filled(deal.DATE_CREATE) }
      : {}),
    ...(extras.client === undefined ? {} : { client: extras.client }),
    ...(extras.lines === undefined ? {} : { lines: extras.lines }),
  };
}

/** A deal as Podium reads it, or a failure that cannot heal when its shape is not one. */
function parseDeal(result: unknown): Bitrix24Deal | PortalError {
  const parsed = bitrix24DealSchema.safeParse(result);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return new PortalError(
    `the portal answered a deal Podium cannot read (${issue?.path.join('.') || 'result'}: ${issue?.message ?? 'invalid'})`,
    false,
  );
}

/**
 * Reads up to 50 deals (`crm.deal.get` each) in one `batch` call through the portal's pace and
 * checks (`callBitrix24Batch`): one request for all of them. Answers each deal, or its own
 * failure in the portal's words (`Not found` for one deal fails that deal alone); throws a
 * `PortalError` when the call as a whole fails.
 */
export async function fetchBitrix24Deals(
  portalWebhookUrl: string,
  dealIds: readonly string[],
  options: Bitrix24CallOptions,
): Promise<Map<string, Bitrix24Deal | PortalError>> {
  // Keys name the deal: a deal id is digits (`parseBitrix24Call`), a valid key and parameter.
  const commands = Object.fromEntries(
    dealIds.map((dealId) => [`deal${dealId}`, batchCommand('crm.deal.get', { id: dealId })]),
  );
  const outcomes = await callBitrix24Batch(portalWebhookUrl, commands, options);
  const deals = new Map<string, Bitrix24Deal | PortalError>();
  for (const dealId of dealIds) {
    const outcome = outcomes.get(`deal${dealId}`);
    if (outcome === undefined) continue;
    deals.set(dealId, outcome instanceof PortalError ? outcome : parseDeal(outcome.result));
  }
  return deals;
}
