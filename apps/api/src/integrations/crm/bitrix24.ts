import { z } from 'zod';
import type { FieldIssue } from '../../common/validation/zod-validation.pipe.js';
import type { Bitrix24Settings } from '../dto/crm-settings.dto.js';
import { crmMinor, marginAtRate, type DealObservation } from './deal-observation.js';
import { nonPublicAddressOf, PORTAL_URL_FIELD, PRIVATE_PORTAL_REFUSED } from './portal-address.js';

/** Events of Bitrix24's outgoing webhook that mean "read this deal again". */
export const FETCH_EVENTS = ['ONCRMDEALADD', 'ONCRMDEALUPDATE'] as const;
export const DELETE_EVENT = 'ONCRMDEALDELETE';

/**
 * Bitrix24's outgoing webhook (event handler) as Bitrix24 calls it: form-encoded
 * `event=ONCRMDEALUPDATE&data[FIELDS][ID]=42&ts=<unix s>&auth[domain]=acme.bitrix24.ru
 * &auth[client_endpoint]=…&auth[server_endpoint]=…&auth[member_id]=…&auth[application_token]=…`.
 * It carries only the deal id: the deal itself is read through the portal's inbound webhook.
 */
export interface Bitrix24Call {
  readonly event: string;
  readonly dealId: string;
  readonly applicationToken: string;
  readonly domain: string | null;
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
    issues.push({ path: 'data[FIELDS][ID]', message: 'must be the deal id' });
  }
  if (issues.length > 0) return { issues };
  return {
    event,
    dealId,
    applicationToken: text('auth[application_token]'),
    domain: text('auth[domain]') || null,
  };
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

/** The fields of `crm.deal.get` Podium reads (the REST API answers every value as a string). */
export const bitrix24DealSchema = z.looseObject({
  ID: id,
  STAGE_SEMANTIC_ID: z.enum(['S', 'F', 'P']),
  OPPORTUNITY: amount,
  CURRENCY_ID: z.string().regex(/^[A-Z]{3}$/),
  ASSIGNED_BY_ID: id,
  CATEGORY_ID: id.optional().nullable(),
  CLOSEDATE: z.iso.datetime({ offset: true }).optional().nullable(),
  DATE_MODIFY: z.iso.datetime({ offset: true }).optional().nullable(),
});
export type Bitrix24Deal = z.output<typeof bitrix24DealSchema>;

/** A money field: "1234.50", 1234.5 or Bitrix24's money type "1234.50|RUB". */
function moneyField(value: unknown): number | null {
  return typeof value === 'number' || typeof value === 'string' ? crmMinor(value) : null;
}

export function bitrix24Observation(
  deal: Bitrix24Deal,
  settings: Omit<Bitrix24Settings, 'applicationToken' | 'portalWebhookUrl'>,
  now: Date,
): DealObservation {
  const category =
    deal.CATEGORY_ID === undefined || deal.CATEGORY_ID === null ? 0 : Number(deal.CATEGORY_ID);
  const counted = settings.pipelineIds.length === 0 || settings.pipelineIds.includes(category);
  // The schema refused anything but an amount or an empty field (no amount yet: 0).
  const amountMinor = crmMinor(deal.OPPORTUNITY) ?? 0;
  const marginMinor =
    settings.marginField !== undefined
      ? moneyField((deal as Record<string, unknown>)[settings.marginField])
      : marginAtRate(amountMinor, settings.marginRate ?? 0);
  const modifiedAt = deal.DATE_MODIFY ?? now.toISOString();
  return {
    dealId: deal.ID,
    crmUserId: deal.ASSIGNED_BY_ID,
    won: counted && deal.STAGE_SEMANTIC_ID === 'S',
    outsidePipeline: !counted && deal.STAGE_SEMANTIC_ID === 'S',
    amountMinor,
    marginMinor,
    currency: deal.CURRENCY_ID,
    occurredAt: deal.CLOSEDATE ?? modifiedAt,
    modifiedAt,
  };
}

/** A read of the portal that failed: retried later, or given up with the reason recorded. */
export class PortalError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

interface PortalBody {
  result?: unknown;
  error?: unknown;
  error_description?: unknown;
}

function parseJson(text: string): PortalBody | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as PortalBody) : null;
  } catch {
    return null;
  }
}

/** REST errors worth retrying: the portal is busy or broken for a while. */
const RETRYABLE_ERRORS = new Set([
  'QUERY_LIMIT_EXCEEDED',
  'INTERNAL_SERVER_ERROR',
  'OVERLOAD_LIMIT',
]);

/**
 * Reads one deal: `GET <portalWebhookUrl>crm.deal.get.json?id=<id>`, bounded by `timeoutMs`;
 * refused without a call when the portal is on a non-public address and `allowPrivate` is false.
 * Network errors, timeouts, 5xx and the REST errors above are retryable; anything else the
 * portal refuses (NOT_FOUND, ACCESS_DENIED, 401 …) is not. The URL holds the inbound webhook's
 * secret: it never appears in an error message.
 */
export async function fetchBitrix24Deal(
  portalWebhookUrl: string,
  dealId: string,
  timeoutMs: number,
  { allowPrivate }: { readonly allowPrivate: boolean },
): Promise<Bitrix24Deal> {
  // Checked at save time too; again here because what the name resolves to may have changed.
  if (!allowPrivate && (await nonPublicAddressOf(portalWebhookUrl)) !== null) {
    throw new PortalError(`${PORTAL_URL_FIELD} ${PRIVATE_PORTAL_REFUSED}`, false);
  }
  const base = portalWebhookUrl.endsWith('/') ? portalWebhookUrl : `${portalWebhookUrl}/`;
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${base}crm.deal.get.json?id=${encodeURIComponent(dealId)}`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new PortalError(`the portal did not answer within ${timeoutMs} ms`, true);
    }
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new PortalError(`the portal could not be reached (${cause ?? 'network error'})`, true);
  }
  const json = parseJson(text);
  const code = typeof json?.error === 'string' ? json.error : null;
  if (!response.ok || code !== null) {
    const description =
      typeof json?.error_description === 'string' ? `: ${json.error_description}` : '';
    const message = `the portal answered ${response.status}${code ? ` ${code}` : ''}${description}`;
    const retryable =
      response.status >= 500 ||
      response.status === 429 ||
      (code !== null && RETRYABLE_ERRORS.has(code));
    throw new PortalError(message.slice(0, 500), retryable);
  }
  const parsed = bitrix24DealSchema.safeParse(json?.result);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PortalError(
      `the portal answered a deal Podium cannot read (${issue?.path.join('.') || 'result'}: ${issue?.message ?? 'invalid'})`,
      false,
    );
  }
  return parsed.data;
}
