import {
  amocrmSettingsSchema,
  bitrix24SettingsSchema,
  onecSettingsSchema,
} from './dto/crm-settings.dto.js';
import type {
  Bitrix24Settings,
  StoredAmocrmSettings,
  StoredCrmSettings,
  StoredOnecSettings,
} from './dto/crm-settings.dto.js';
import type { CrmContext } from './crm-deals.service.js';
import type { IntegrationRecord } from './integrations.repository.js';

/** The sale externalIds of a kind: amoCRM calls deals leads, 1C reads sale documents. */
const PREFIX = { amocrm: 'lead', bitrix24: 'deal', '1c-odata': 'doc' } as const;

export function crmContext(integration: IntegrationRecord): CrmContext {
  const settings = integration.settings as Partial<StoredCrmSettings>;
  const kind = integration.kind === 'webhook' ? 'bitrix24' : integration.kind;
  return {
    integrationId: integration.id,
    integrationName: integration.name,
    source: settings.source ?? integration.kind,
    prefix: PREFIX[kind],
    currency: settings.currency ?? 'RUB',
    // Rows are only read when the settings say `perRow` or `main`; `off` reads none.
    productRows: settings.productRows === 'main' ? 'main' : 'perRow',
    // A 1C document's Date is the sale's own date, which its accountant may correct.
    correctedSaleDate: integration.kind === '1c-odata' ? 'reported' : 'firstCounted',
  };
}

/** Stored settings were validated at creation; parsing again applies defaults and types them. */
export function amocrmSettingsOf(integration: IntegrationRecord): StoredAmocrmSettings {
  // The token lives encrypted in its own column; a placeholder satisfies the schema.
  const stored = integration.settings as { baseUrl?: unknown };
  const { accessToken: _token, ...settings } = amocrmSettingsSchema.parse({
    ...integration.settings,
    ...(stored.baseUrl === undefined ? {} : { accessToken: 'stored-encrypted-apart' }),
  });
  return settings;
}

export function bitrix24SettingsOf(
  integration: IntegrationRecord,
): Omit<Bitrix24Settings, 'applicationToken' | 'portalWebhookUrl'> {
  // The credentials live in their own columns; placeholders satisfy the schema.
  return bitrix24SettingsSchema.parse({
    ...integration.settings,
    applicationToken: 'stored-hashed',
    portalWebhookUrl: integration.portalWebhookUrl ?? 'https://invalid.example/',
  });
}

/**
 * 1C's settings with the time zone its dates are read in: the integration's, else the server's
 * (`PODIUM_TIME_ZONE`).
 */
export function onecSettingsOf(
  integration: IntegrationRecord,
  serverTimeZone: string,
): StoredOnecSettings & { timeZone: string } {
  // The password lives encrypted in its own column; a placeholder satisfies the schema.
  const { password: _password, ...settings } = onecSettingsSchema.parse({
    ...integration.settings,
    password: 'stored-encrypted-apart',
  });
  return { ...settings, timeZone: settings.timeZone ?? serverTimeZone };
}
