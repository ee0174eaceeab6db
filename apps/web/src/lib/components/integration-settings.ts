import { parseDecimalCell } from '@podium/contest-model';
import type { Schemas } from '../api/client.js';

export type Kind = Schemas['Integration']['kind'];

/** The integration form's fields: one set for every kind, the kind decides which are sent. */
export interface IntegrationFields {
  kind: Kind;
  name: string;
  /** `register`: 1C's ВыручкаИСебестоимостьПродаж (УТ 11/ERP). */
  marginMode: 'rate' | 'field' | 'register';
  marginPercent: string;
  marginField: string;
  currency: string;
  source: string;
  wonStatusIds: string;
  pipelineIds: string;
  applicationToken: string;
  portalWebhookUrl: string;
  /** Minutes between two pull syncs. */
  syncMinutes: string;
  /** amoCRM's account address and long-lived token, to read leads through its API. */
  baseUrl: string;
  accessToken: string;
  /** What the CRM also feeds: leads (amoCRM: on = `deals`), new clients, product rows. */
  leads: 'off' | 'deals' | 'leads';
  newClients: boolean;
  productRows: 'off' | 'perRow' | 'main';
  /** 1C: the OData interface's user and password, configuration family, time zone. */
  username: string;
  password: string;
  configuration: 'ut11' | 'bp30';
  timeZone: string;
}

export const blankFields = (): IntegrationFields => ({
  kind: 'amocrm',
  name: '',
  marginMode: 'rate',
  marginPercent: '20',
  marginField: '',
  currency: 'RUB',
  source: '',
  wonStatusIds: '142',
  pipelineIds: '',
  applicationToken: '',
  portalWebhookUrl: '',
  syncMinutes: '5',
  baseUrl: '',
  accessToken: '',
  leads: 'off',
  newClients: false,
  productRows: 'off',
  username: '',
  password: '',
  configuration: 'ut11',
  timeZone: '',
});

/** "1, 2,3" → [1, 2, 3]; anything else is sent as typed, for the server to name. */
function ids(text: string): unknown[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * The `settings` the form sends. `before` is the stored settings of the integration being
 * edited (null when creating): settings the form does not show are kept as they were, and
 * empty credentials keep the stored ones (which are never shown).
 */
export function settingsOf(
  fields: IntegrationFields,
  before: Record<string, unknown> | null,
): Record<string, unknown> {
  const { kind } = fields;
  if (kind === 'webhook') return {};
  const common: Record<string, unknown> = { currency: fields.currency.trim() };
  if (typeof before?.timeoutMs === 'number') common.timeoutMs = before.timeoutMs;
  if (fields.source.trim() !== '') common.source = fields.source.trim();
  // Sent when switched on, or to switch off what the stored settings have on.
  const had = (key: string) => before?.[key] !== undefined;
  if (fields.newClients || had('newClients')) common.newClients = fields.newClients;
  if (fields.productRows !== 'off' || had('productRows')) common.productRows = fields.productRows;
  if (kind === '1c-odata') return onecSettings(fields, before, common);
  if (fields.marginMode === 'rate') {
    // Read as every other number typed by people; what is not one goes as typed, and the API
    // names the field.
    const percent = parseDecimalCell(fields.marginPercent);
    common.marginRate = percent.ok ? percent.value / 100 : fields.marginPercent;
  } else {
    const field = fields.marginField.trim();
    common.marginField = kind === 'amocrm' && /^\d+$/.test(field) ? Number(field) : field;
  }
  common.pipelineIds = ids(fields.pipelineIds);
  const minutes = fields.syncMinutes.trim();
  common.syncIntervalMinutes = /^\d+$/.test(minutes) ? Number(minutes) : minutes;
  if (fields.leads !== 'off' || had('leads')) {
    common.leads = kind === 'amocrm' ? fields.leads !== 'off' : fields.leads;
  }
  if (kind === 'amocrm') {
    const amocrm: Record<string, unknown> = { ...common, wonStatusIds: ids(fields.wonStatusIds) };
    if (typeof before?.accountId === 'number') amocrm.accountId = before.accountId;
    // Left empty: no API (creating) or the stored address and token kept (editing).
    if (fields.baseUrl.trim() !== '') amocrm.baseUrl = fields.baseUrl.trim();
    if (fields.accessToken.trim() !== '') amocrm.accessToken = fields.accessToken.trim();
    return amocrm;
  }
  if (before === null || fields.applicationToken.trim() !== '') {
    common.applicationToken = fields.applicationToken.trim();
  }
  if (before === null || fields.portalWebhookUrl.trim() !== '') {
    common.portalWebhookUrl = fields.portalWebhookUrl.trim();
  }
  return common;
}

/** 1C's settings: no pipelines; the settings the form does not show are kept as they were. */
function onecSettings(
  fields: IntegrationFields,
  before: Record<string, unknown> | null,
  common: Record<string, unknown>,
): Record<string, unknown> {
  const onec: Record<string, unknown> = {
    ...common,
    baseUrl: fields.baseUrl.trim(),
    username: fields.username.trim(),
    configuration: fields.configuration,
  };
  for (const kept of ['pageSize'] as const) {
    if (before?.[kept] !== undefined) onec[kept] = before[kept];
  }
  if (fields.marginMode === 'register') {
    onec.marginSource = 'register';
  } else {
    const percent = parseDecimalCell(fields.marginPercent);
    onec.marginRate = percent.ok ? percent.value / 100 : fields.marginPercent;
  }
  const minutes = fields.syncMinutes.trim();
  onec.syncIntervalMinutes = /^\d+$/.test(minutes) ? Number(minutes) : minutes;
  if (fields.timeZone.trim() !== '') onec.timeZone = fields.timeZone.trim();
  // Left empty when editing: the stored password is kept.
  if (before === null || fields.password !== '') onec.password = fields.password;
  return onec;
}

/**
 * The form's fields for editing a stored integration: credentials blank (kept unless typed);
 * the margin input of the other mode keeps what `current` had.
 */
export function fieldsOf(
  item: Schemas['Integration'],
  current: IntegrationFields,
): IntegrationFields {
  const stored = item.settings;
  const byField = typeof stored.marginField === 'number' || typeof stored.marginField === 'string';
  const list = (value: unknown) => (Array.isArray(value) ? value.join(', ') : '');
  return {
    ...current,
    kind: item.kind,
    name: item.name,
    marginMode: stored.marginSource === 'register' ? 'register' : byField ? 'field' : 'rate',
    ...(byField
      ? { marginField: String(stored.marginField) }
      : { marginPercent: String(Math.round(Number(stored.marginRate ?? 0) * 10_000) / 100) }),
    currency: typeof stored.currency === 'string' ? stored.currency : 'RUB',
    source: typeof stored.source === 'string' ? stored.source : '',
    wonStatusIds: list(stored.wonStatusIds) || '142',
    pipelineIds: list(stored.pipelineIds),
    applicationToken: '',
    portalWebhookUrl: '',
    syncMinutes:
      typeof stored.syncIntervalMinutes === 'number' ? String(stored.syncIntervalMinutes) : '5',
    baseUrl: typeof stored.baseUrl === 'string' ? stored.baseUrl : '',
    accessToken: '',
    leads:
      stored.leads === true
        ? 'deals'
        : stored.leads === 'deals' || stored.leads === 'leads'
          ? stored.leads
          : 'off',
    newClients: stored.newClients === true,
    productRows:
      stored.productRows === 'perRow' || stored.productRows === 'main' ? stored.productRows : 'off',
    username: typeof stored.username === 'string' ? stored.username : '',
    password: '',
    configuration: stored.configuration === 'bp30' ? 'bp30' : 'ut11',
    timeZone: typeof stored.timeZone === 'string' ? stored.timeZone : '',
  };
}
