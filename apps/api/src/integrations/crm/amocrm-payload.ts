import type { FieldIssue } from '../../common/validation/zod-validation.pipe.js';
import type { AmocrmSettings } from '../dto/crm-settings.dto.js';
import { crmMinor, marginAtRate, type DealObservation } from './deal-observation.js';

/**
 * amoCRM's lead webhooks, as amoCRM sends them: form-encoded, one flat key per value —
 * `leads[status][0][id]=123&leads[status][0][status_id]=142&leads[status][0][old_status_id]=…
 * &leads[status][0][pipeline_id]=…&leads[status][0][price]=1500.50
 * &leads[status][0][responsible_user_id]=…&leads[status][0][last_modified]=<unix s>
 * &leads[status][0][custom_fields][0][id]=…&leads[status][0][custom_fields][0][values][0][value]=…
 * &account[subdomain]=acme&account[id]=…`. Several leads per request are possible, under
 * `status` (status changed) and also `add` / `update` when those webhooks are switched on: they
 * carry the same fields and are handled the same way (the deal state makes repeats harmless);
 * `delete` carries only the id, and a deleted lead is no longer won.
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
}

const LEAD_FIELD = /^leads\[(status|add|update|delete)\]\[(\d{1,4})\]\[([a-z_]+)\]$/;
const CUSTOM_FIELD =
  /^leads\[(status|add|update)\]\[(\d{1,4})\]\[custom_fields\]\[(\d{1,4})\]\[(id|values)\](?:\[(\d{1,4})\]\[value\])?$/;

type Raw = { fields: Map<string, string>; custom: Map<string, { id?: string; value?: string }> };

/** The flat form keys → leads, every bad value named by its form key (400 before any write). */
export function parseAmocrmLeads(
  body: unknown,
): { leads: AmocrmLead[]; subdomain: string | null } | { issues: FieldIssue[] } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return {
      issues: [{ path: '(body)', message: 'must be form-encoded leads[status][0][id]=… fields' }],
    };
  }
  const raw = new Map<string, Raw>();
  const entry = (group: string, index: string): Raw => {
    const key = `leads[${group}][${index}]`;
    let found = raw.get(key);
    if (!found) raw.set(key, (found = { fields: new Map(), custom: new Map() }));
    return found;
  };
  const single = (value: unknown) => (Array.isArray(value) ? value[0] : value);
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    const text = single(value);
    if (typeof text !== 'string') continue;
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
  if (raw.size === 0) {
    // Another amoCRM webhook (contacts, companies …) switched on for this URL: nothing to count,
    // and answered 2xx so amoCRM does not retry it nor turn the webhook off.
    if (Object.keys(body).some((key) => /^[a-z_]+\[/.test(key))) {
      return { leads: [], subdomain: null };
    }
    return {
      issues: [{ path: 'leads[status][0][id]', message: 'no lead in the request' }],
    };
  }

  const issues: FieldIssue[] = [];
  const leads: AmocrmLead[] = [];
  for (const [path, { fields, custom }] of raw) {
    if (path.startsWith('leads[delete]')) {
      const id = fields.get('id');
      if (id === undefined || !/^\d{1,20}$/.test(id)) {
        issues.push({ path: `${path}[id]`, message: 'must be the lead id' });
        continue;
      }
      leads.push({
        deleted: true,
        path,
        id,
        statusId: 0,
        pipelineId: null,
        priceMinor: 0,
        responsibleUserId: '',
        lastModified: 0,
        customFields: new Map(),
      });
      continue;
    }
    const need = (name: string, rule: RegExp, message: string): string | null => {
      const value = fields.get(name);
      if (value === undefined || !rule.test(value)) {
        issues.push({ path: `${path}[${name}]`, message });
        return null;
      }
      return value;
    };
    const id = need('id', /^\d{1,20}$/, 'must be the lead id');
    const statusId = need('status_id', /^\d{1,20}$/, 'must be the status id');
    const responsible = need(
      'responsible_user_id',
      /^\d{1,20}$/,
      'must be the responsible user id',
    );
    const lastModified = need('last_modified', /^\d{1,12}$/, 'must be the time in Unix seconds');
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
    if (id === null || statusId === null || responsible === null || lastModified === null) continue;
    const customFields = new Map<number, string>();
    for (const field of custom.values()) {
      if (field.id !== undefined && /^\d+$/.test(field.id) && field.value !== undefined) {
        customFields.set(Number(field.id), field.value);
      }
    }
    leads.push({
      deleted: false,
      path,
      id,
      statusId: Number(statusId),
      pipelineId: pipeline === undefined || pipeline === '' ? null : Number(pipeline),
      priceMinor: priceMinor ?? 0,
      responsibleUserId: responsible,
      lastModified: Number(lastModified),
      customFields,
    });
  }
  if (issues.length > 0) return { issues };
  const subdomain = single((body as Record<string, unknown>)['account[subdomain]']);
  return { leads, subdomain: typeof subdomain === 'string' ? subdomain : null };
}

/** A lead in Podium's terms, under the integration's settings; `now` dates a deletion. */
export function amocrmObservation(
  lead: AmocrmLead,
  settings: AmocrmSettings,
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
  const counted =
    settings.pipelineIds.length === 0 ||
    (lead.pipelineId !== null && settings.pipelineIds.includes(lead.pipelineId));
  let marginMinor: number | null;
  if (settings.marginField !== undefined) {
    const value = lead.customFields.get(settings.marginField) ?? '';
    marginMinor = value.trim() === '' ? null : crmMinor(value);
  } else {
    marginMinor = marginAtRate(lead.priceMinor, settings.marginRate ?? 0);
  }
  const at = new Date(lead.lastModified * 1000).toISOString();
  return {
    dealId: lead.id,
    crmUserId: lead.responsibleUserId,
    won: counted && settings.wonStatusIds.includes(lead.statusId),
    outsidePipeline: !counted && settings.wonStatusIds.includes(lead.statusId),
    amountMinor: lead.priceMinor,
    marginMinor,
    currency: null,
    occurredAt: at,
    modifiedAt: at,
  };
}
