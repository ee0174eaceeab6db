import { amocrmSettingsSchema, bitrix24SettingsSchema } from './dto/crm-settings.dto.js';
import type {
  AmocrmSettings,
  Bitrix24Settings,
  StoredCrmSettings,
} from './dto/crm-settings.dto.js';
import type { CrmContext } from './crm-deals.service.js';
import type { IntegrationRecord } from './integrations.repository.js';

/** The sale externalIds of a kind: amoCRM calls deals leads. */
const PREFIX = { amocrm: 'lead', bitrix24: 'deal' } as const;

export function crmContext(integration: IntegrationRecord): CrmContext {
  const settings = integration.settings as Partial<StoredCrmSettings>;
  const kind = integration.kind === 'amocrm' ? 'amocrm' : 'bitrix24';
  return {
    integrationId: integration.id,
    integrationName: integration.name,
    source: settings.source ?? integration.kind,
    prefix: PREFIX[kind],
    currency: settings.currency ?? 'RUB',
  };
}

/** Stored settings were validated at creation; parsing again applies defaults and types them. */
export function amocrmSettingsOf(integration: IntegrationRecord): AmocrmSettings {
  return amocrmSettingsSchema.parse(integration.settings);
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
