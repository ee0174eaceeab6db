import type { FieldIssue } from '../../common/validation/zod-validation.pipe.js';
import type { StoredAmocrmSettings } from '../dto/crm-settings.dto.js';
import {
  crmMinor,
  marginAtRate,
  type DealClient,
  type DealLine,
  type DealObservation,
} from './deal-observation.js';

/**
 * amoCRM's lead webhooks, as amoCRM sends them: form-encoded, one flat key per value —
 * `leads[status][0][id]=123&leads[status][0][status_id]=142&leads[status][0][old_status_id]=…
 * &leads[status][0][pipeline_id]=…&leads[status][0][price]=1500.50
 * &leads[status][0][responsible_user_id]=…&leads[status][0][last_modified]=<unix s>
 * &leads[status][0][custom_fields][0][id]=…&leads[status][0][custom_fields][0][values][0][value]=…
 * &account[subdomain]=acme&account[id]=…`. Several leads per request are possible, under
 * `status` (status changed) and also `add` / `update` / `restore` (restored from the bin) /
 * `responsible` (responsible changed, with `old_responsible_user_id`) when those webhooks are
 * switched on: they carry the same fields and are handled the same way (the deal state makes
 * repeats harmless); `delete` carries only the id, and a deleted lead is no longer won.
 *
 * The Digital Pipeline's "send webhook" action posts only
 * `leads[status][0][id|status_id|pipeline_id|old_status_id|old_pipeline_id]` and
 * `account[id|subdomain]` (digital_pipeline/webhooks.md, "Параметры полей сущности"): such a
 * lead is `partial`, read whole through the API.
 */
export interface AmocrmLead {
  /** `delete`: the lead was deleted (only its id is sent), so it is no longer won. */
  readonly deleted: boolean;
  readonly path: string;
  readonly id: string;
  readonly statusId: number;
  readonly pipelineId: number | null;
  readonly priceMinor: number;
  readonly responsibleUserId: string;
  readonly lastModified: number;
  /** Custom field id → its first value. */
  readonly customFields: ReadonlyMap<number, string>;
  /** Unix seconds of the status change into won when known (the API's events), else absent. */
  readonly wonAt?: number;
  /** `old_status_id` of a _status changed_ webhook: the lead came from that status just now. */
  readonly oldStatusId?: number;
  /** Unix seconds of the lead's creation (the webhook's `date_create`, the API's `created_at`). */
  readonly createdAt?: number;
  /** Its client and product rows, read through the API when the settings ask for them. */
  readonly client?: DealClient | null;
  readonly lines?: readonly DealLine[];
}

/** A lead the webhook names without its fields (Digital Pipeline): read through the API. */
export interface PartialAmocrmLead {
  readonly path: string;
  readonly group: string;
  readonly id: string;
}

/** A lead of the webhook Podium cannot read: recorded with its reason, the others applied. */
export interface RejectedAmocrmLead {
  readonly path: string;
  readonly group: string;
  /** Null when the id itself is unreadable. */
  readonly id: string | null;
  readonly issues: FieldIssue[];
}

export interface AmocrmCall {
  readonly leads: AmocrmLead[];
  readonly partial: PartialAmocrmLead[];
  readonly rejected: RejectedAmocrmLead[];
  /** `account[id]` and `account[subdomain]`, null where absent. */
  readonly account: { readonly id: string | null; readonly subdomain: string | null };
}

const LEAD_FIELD =
  /^leads\[(status|add|update|restore|responsible|delete)\]\[(\d{1,4})\]\[([a-z_]+)\]$/;
const CUSTOM_FIELD =
  /^leads\[(status|add|update|restore|responsible)\]\[(\d{1,4})\]\[custom_fields\]\[(\d{1,4})\]\[(id|values)\](?:\[(\d{1,4})\]\[value\])?$/;

type Raw = { fields: Map<string, string>; custom: Map<string, { id?: string; value?: string }> };

/**
 * The flat form keys → leads. Only a body that is not a form, or names no lead of any kind, is
 * refused as a whole (400); a lead with a bad value is `rejected` with what is wrong, each named by
 * its form key, so one unreadable lead does not block the others (amoCRM re-sends a whole batch
 * answered with anything but 2xx).
 */
export function parseAmocrmLeads(body: unknown): AmocrmCall | { issues: FieldIssue[] } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return {
      issues: [{ path: '(body)', message: 'must be form-encoded leads[status][0][id]=… fields' }],
    };
  }
  const form = body as Record<string, unknown>;
  const single = (value: unknown) => {
    const first = Array.isArray(value) ? value[0] : value;
    return typeof first === 'string' ? first : null;
  };
  const account = {
    id: single(form['account[id]']),
    subdomain: single(form['account[subdomain]']),
  };
  const raw = new Map<string, Raw>();
  const entry = (group: string, index: string): Raw => {
    const key = `leads[${group}][${index}]`;
    let found = raw.get(key);
    if (!found) raw.set(key, (found = { fields: new Map(), custom: new Map() }));
    return found;
  };
  for (const [key, value] of Object.entries(form)) {
    const text = single(value);
    if (text === null) continue;
    const lead = LEAD_FIELD.exec(key);
    if (lead) {
      entry(lead[1] as string, lead[2] as string).fields.set(lead[3] as string, text);
      continue;
    }
    const custom = CUSTOM_FIELD.exec(key);
    if (custom) {
      const fields = entry(custom[1] as string, custom[2] as string).custom;
      const field = fields.get(custom[3] as string) ?? {};
      if (custom[4] === 'id') field.id = text;
      else if (custom[5] === '0' || field.value === undefined) field.value = text;
      fields.set(custom[3] as string, field);
    }
  }
  const call: AmocrmCall = { leads: [], partial: [], rejected: [], account };
  if (raw.size === 0) {
    // Another amoCRM webhook (contacts, companies …) switched on for this URL: nothing to count,
    // and answered 2xx so amoCRM does not retry it nor turn the webhook off.
    if (Object.keys(form).some((key) => /^[a-z_]+\[/.test(key))) return call;
    return { issues: [{ path: 'leads[status][0][id]', message: 'no lead in the request' }] };
  }
  for (const [path, entryFields] of raw) {
    const group = /^leads\[([a-z_]+)\]/.exec(path)?.[1] ?? 'status';
    const read = readLead(path, group, entryFields);
    if ('issues' in read) call.rejected.push(read);
    else if ('deleted' in read) call.leads.push(read);
    else call.partial.push(read);
  }
  return call;
}

/** One lead's fields → the lead, the lead to read through the API, or why it is unreadable. */
function readLead(
  path: string,
  group: string,
  { fields, custom }: Raw,
): AmocrmLead | PartialAmocrmLead | RejectedAmocrmLead {
  const issues: FieldIssue[] = [];
  const idText = fields.get('id');
  const id = idText !== undefined && /^\d{1,20}$/.test(idText) ? idText : null;
  if (id === null) issues.push({ path: `${path}[id]`, message: 'must be the lead id' });
  if (group === 'delete') {
    if (id === null) return { path, group, id, issues };
    return { ...EMPTY, deleted: true, path, id };
  }
  // The Digital Pipeline sends none of these: the lead is read whole through the API.
  const partial = ['responsible_user_id', 'last_modified', 'price'].every(
    (name) => !fields.has(name),
  );
  if (partial && id !== null) return { path, group, id };
  const need = (name: string, rule: RegExp, message: string): string | null => {
    const value = fields.get(name);
    if (value === undefined || !rule.test(value)) {
      issues.push({ path: `${path}[${name}]`, message });
      return null;
    }
    return value;
  };
  const statusId = need('status_id', /^\d{1,20}$/, 'must be the status id');
  const responsible = need('responsible_user_id', /^\d{1,20}$/, 'must be the responsible user id');
  const lastModified = need('last_modified', /^\d{1,12}$/, 'must be the time in Unix seconds');
  const oldStatus = group === 'status' ? fields.get('old_status_id') : undefined;
  const created = fields.get('date_create') ?? fields.get('created_at');
  const pipeline = fields.get('pipeline_id');
  if (pipeline !== undefined && pipeline !== '' && !/^\d{1,20}$/.test(pipeline)) {
    issues.push({ path: `${path}[pipeline_id]`, message: 'must be the pipeline id' });
  }
  const price = fields.get('price') ?? '';
  const priceMinor = price === '' ? 0 : crmMinor(price);
  if (priceMinor === null || priceMinor < 0) {
    issues.push({
      path: `${path}[price]`,
      message: 'must be an amount in major units, e.g. 1500.50',
      code: 'money',
    });
  }
  if (id === null || statusId === null || responsible === null || lastModified === null) {
    return { path, group, id, issues };
  }
  if (issues.length > 0) return { path, group, id, issues };
  const customFields = new Map<number, string>();
  for (const field of custom.values()) {
    if (field.id !== undefined && /^\d+$/.test(field.id) && field.value !== undefined) {
      customFields.set(Number(field.id), field.value);
    }
  }
  return {
    deleted: false,
    path,
    id,
    statusId: Number(statusId),
    pipelineId: pipeline === undefined || pipeline === '' ? null : Number(pipeline),
    priceMinor: priceMinor ?? 0,
    responsibleUserId: responsible,
    lastModified: Number(lastModified),
    customFields,
    ...(oldStatus !== undefined && /^\d{1,20}$/.test(oldStatus)
      ? { oldStatusId: Number(oldStatus) }
      : {}),
    ...(created !== undefined && /^[1-9]\d{0,11}$/.test(created)
      ? { createdAt: Number(created) }
      : {}),
  };
}

/**
 * Whether the webhook itself tells when the lead was won: a status change from a status that is
 * not won into one that is, at `last_modified`. An edit, a restore or a new responsible of a won
 * lead happened later than its win.
 */
export function wonJustNow(lead: AmocrmLead, wonStatusIds: readonly number[]): boolean {
  return (
    lead.oldStatusId !== undefined &&
    wonStatusIds.includes(lead.statusId) &&
    !wonStatusIds.includes(lead.oldStatusId)
  );
}

const EMPTY = {
  statusId: 0,
  pipelineId: null,
  priceMinor: 0,
  responsibleUserId: '',
  lastModified: 0,
  customFields: new Map<number, string>(),
} as const;

/** Whether the lead's pipeline is one the integration counts (none listed: all). */
export function countedPipeline(
  lead: Pick<AmocrmLead, 'pipelineId'>,
  settings: Pick<StoredAmocrmSettings, 'pipelineIds'>,
): boolean {
  return (
    settings.pipelineIds.length === 0 ||
    (lead.pipelineId !== null && settings.pipelineIds.includes(lead.pipelineId))
  );
}

/** A lead in Podium's terms, under the integration's settings; `now` dates a deletion. */
export function amocrmObservation(
  lead: AmocrmLead,
  settings: Pick<
    StoredAmocrmSettings,
    'pipelineIds' | 'wonStatusIds' | 'marginField' | 'marginRate' | 'leads'
  >,
  now: Date,
): DealObservation {
  if (lead.deleted) {
    return {
      dealId: lead.id,
      crmUserId: '',
      won: false,
      amountMinor: 0,
      marginMinor: 0,
      currency: null,
      occurredAt: now.toISOString(),
      modifiedAt: now.toISOString(),
    };
  }
  const counted = countedPipeline(lead, settings);
  let marginMinor: number | null;
  if (settings.marginField !== undefined) {
    const value = lead.customFields.get(settings.marginField) ?? '';
    marginMinor = value.trim() === '' ? null : crmMinor(value);
  } else {
    marginMinor = marginAtRate(lead.priceMinor, settings.marginRate ?? 0);
  }
  // The sale happened when the lead was won, not when it was last edited: an edit of its amount
  // or seller weeks later corrects the sale at that moment.
  const modifiedAt = new Date(lead.lastModified * 1000).toISOString();
  const occurredAt = new Date((lead.wonAt ?? lead.lastModified) * 1000).toISOString();
  return {
    dealId: lead.id,
    crmUserId: lead.responsibleUserId,
    won: counted && settings.wonStatusIds.includes(lead.statusId),
    outsidePipeline: !counted && settings.wonStatusIds.includes(lead.statusId),
    amountMinor: lead.priceMinor,
    marginMinor,
    currency: null,
    occurredAt,
    modifiedAt,
    ...(settings.leads === true && counted && lead.createdAt !== undefined
      ? { createdAt: new Date(lead.createdAt * 1000).toISOString() }
      : {}),
    ...(lead.client === undefined ? {} : { client: lead.client }),
    ...(lead.lines === undefined ? {} : { lines: lead.lines }),
  };
}
