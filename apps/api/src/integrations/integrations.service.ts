import { randomBytes } from 'node:crypto';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import {
  nonPublicAddressOf,
  PORTAL_URL_FIELD,
  PRIVATE_PORTAL_REFUSED,
} from './crm/portal-address.js';
import { sha256Hex } from '../common/canonical-json.js';
import { SecretBox } from '../common/secret-box.js';
import { fieldIssues, validationError } from '../common/validation/zod-validation.pipe.js';
import type {
  CreateIntegration,
  IntegrationView,
  UpdateIntegration,
} from './dto/integration.dto.js';
import {
  AMOCRM_HOST,
  amocrmSettingsSchema,
  bitrix24SettingsSchema,
  maskPortalUrl,
  onecSettingsSchema,
  type AmocrmSettings,
  type Bitrix24Settings,
  type OnecSettings,
} from './dto/crm-settings.dto.js';
import { CLOCK, type Clock } from '../common/clock.js';
import { CrmRepository } from './crm.repository.js';
import { IntegrationsRepository, type IntegrationRecord } from './integrations.repository.js';
import { CrmSyncRepository, type SyncState } from './sync/crm-sync.repository.js';
import { CrmSyncService } from './sync/crm-sync.service.js';
import { syncView } from './sync/sync-view.js';

/**
 * Integrations that push deals, as the admin keeps them: their settings and secrets (a signing
 * key for the generic `webhook` kind, a secret URL for the CRMs), shown masked once created, and
 * their revocation. Their CRM-user mappings are `IntegrationMappingsService`'s, the signed
 * webhook requests `SignedWebhooksService`'s and the CRMs' own webhooks `CrmWebhooksService`'s.
 */
/** The integration `id`, or a 404. */
export async function requireIntegration(
  integrations: IntegrationsRepository,
  id: string,
): Promise<IntegrationRecord> {
  const integration = await integrations.find(id);
  if (!integration) throw new NotFoundException(`no integration ${id}`);
  return integration;
}

/** The settings of either CRM that are credentials, kept apart from the `settings` column. */
type Credentials = Record<string, unknown> & {
  applicationToken?: string;
  portalWebhookUrl?: string;
  accessToken?: string;
  /** 1C's password: sealed where amoCRM's token is. */
  password?: string;
};

const AMOCRM_URL_FIELD = 'settings.baseUrl';

@Injectable()
export class IntegrationsService {
  constructor(
    private readonly integrations: IntegrationsRepository,
    private readonly crm: CrmRepository,
    private readonly syncs: CrmSyncRepository,
    private readonly sync: CrmSyncService,
    private readonly secrets: SecretBox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(
    body: CreateIntegration,
    actor: string,
    origin: string,
  ): Promise<IntegrationView & { secret: string }> {
    if (body.kind === 'webhook') {
      const secret = `whsec_${randomBytes(32).toString('base64url')}`;
      const record = await this.insert({ ...body, signingKey: secret, createdBy: actor });
      return { ...this.view(record, origin, null), secret };
    }
    const settings = this.crmSettings(body.kind, body.settings);
    await this.requirePublicPortal((settings as Partial<Bitrix24Settings>).portalWebhookUrl);
    if (body.kind === '1c-odata') {
      await this.requirePublicOnec((settings as { baseUrl?: string }).baseUrl);
    } else await this.requireAmocrmAddress((settings as Partial<AmocrmSettings>).baseUrl);
    const source = settings.source ?? body.kind;
    if (await this.crm.sourceTaken(source)) {
      throw validationError([
        {
          path: 'settings.source',
          code: 'sourceTaken',
          message: `another integration produces events with the source "${source}"; give this one its own`,
        },
      ]);
    }
    // The secret travels in the URL the CRM posts to (neither CRM can sign): only its hash is kept.
    const secret = `crm_${randomBytes(32).toString('base64url')}`;
    const { applicationToken, portalWebhookUrl, accessToken, password, ...stored } =
      settings as Credentials;
    const credential = accessToken ?? password;
    const record = await this.insert({
      kind: body.kind,
      name: body.name,
      settings: stored,
      signingKey: null,
      secretHash: body.kind === '1c-odata' ? null : sha256Hex(secret),
      applicationTokenHash: applicationToken === undefined ? null : sha256Hex(applicationToken),
      portalWebhookUrl: portalWebhookUrl ?? null,
      accessTokenEncrypted: credential === undefined ? null : this.secrets.seal(credential),
      createdBy: actor,
    });
    const view = this.view(record, origin, null);
    // 1C is read, never posts: it has no webhook URL and so no secret to show.
    if (body.kind === '1c-odata') return { ...view, secret: '' };
    return {
      ...view,
      webhookUrl: `${origin}/api/webhooks/${body.kind}/${record.id}/${secret}`,
      secret,
    };
  }

  async update(id: string, change: UpdateIntegration, origin: string): Promise<IntegrationView> {
    const integration = await requireIntegration(this.integrations, id);
    if (integration.revokedAt !== null) {
      throw validationError([
        { path: '(body)', message: 'the integration is revoked', code: 'revoked' },
      ]);
    }
    const name = change.name ?? integration.name;
    if (integration.kind === 'webhook' || change.settings === undefined) {
      const record = await this.save(id, {
        name,
        settings: change.settings ?? integration.settings,
        applicationTokenHash: null,
        portalWebhookUrl: null,
      });
      return this.view(record, origin, await this.syncs.state(id));
    }
    const stored = integration.settings as {
      source?: string;
      domain?: string;
      memberId?: string;
      baseUrl?: string;
    };
    const given = change.settings;
    const settings = this.crmSettings(integration.kind, {
      // The Bitrix24 portal learned from its first call stays unless given anew.
      ...(integration.kind === 'bitrix24'
        ? { domain: stored.domain, memberId: stored.memberId }
        : {}),
      ...given,
      // Credentials left out keep their stored values (placeholders pass the checks).
      ...(integration.kind === 'bitrix24' && given.applicationToken === undefined
        ? { applicationToken: 'kept-as-stored' }
        : {}),
      ...(integration.kind === 'bitrix24' && given.portalWebhookUrl === undefined
        ? { portalWebhookUrl: 'https://kept.as.stored/' }
        : {}),
      // amoCRM's address and token left out are kept too (the token is never shown to resend).
      ...(integration.kind === 'amocrm' && given.baseUrl === undefined && stored.baseUrl
        ? { baseUrl: stored.baseUrl }
        : {}),
      ...(integration.kind === 'amocrm' &&
      given.accessToken === undefined &&
      integration.accessTokenEncrypted !== null
        ? { accessToken: 'kept-as-stored-encrypted' }
        : {}),
      // 1C's password left out is kept (it is never shown to resend).
      ...(integration.kind === '1c-odata' &&
      given.password === undefined &&
      integration.accessTokenEncrypted !== null
        ? { password: 'kept-as-stored-encrypted' }
        : {}),
    });
    if (given.baseUrl !== undefined) {
      if (integration.kind === '1c-odata') {
        await this.requirePublicOnec((settings as { baseUrl?: string }).baseUrl);
      } else {
        await this.requireAmocrmAddress((settings as Partial<AmocrmSettings>).baseUrl);
      }
    }
    // A kept URL was checked when it was given.
    if (given.portalWebhookUrl !== undefined) {
      await this.requirePublicPortal((settings as Partial<Bitrix24Settings>).portalWebhookUrl);
    }
    if ((settings.source ?? integration.kind) !== (stored.source ?? integration.kind)) {
      throw validationError([
        {
          path: 'settings.source',
          code: 'sourceFixed',
          message: `cannot change: the events already counted carry "${stored.source ?? integration.kind}"`,
        },
      ]);
    }
    const { applicationToken, portalWebhookUrl, accessToken, password, ...rest } =
      settings as Credentials;
    const credential = integration.kind === '1c-odata' ? password : accessToken;
    const givenCredential = integration.kind === '1c-odata' ? given.password : given.accessToken;
    const record = await this.save(id, {
      name,
      settings: rest,
      applicationTokenHash:
        given.applicationToken === undefined || applicationToken === undefined
          ? null
          : sha256Hex(applicationToken),
      portalWebhookUrl: given.portalWebhookUrl === undefined ? null : (portalWebhookUrl ?? null),
      accessTokenEncrypted:
        givenCredential === undefined || credential === undefined
          ? null
          : this.secrets.seal(credential),
    });
    return this.view(record, origin, await this.syncs.state(id));
  }

  /**
   * A Bitrix24 portal is called from this server: on a loopback, link-local or private address it
   * would let an admin (or whoever tricks one) probe the internal network. Checked again at each
   * call (crm/bitrix24.ts), since what a name resolves to can change.
   */
  private async requirePublicPortal(url: string | undefined): Promise<void> {
    if (url === undefined || this.config.allowPrivateCrm === true) return;
    if ((await nonPublicAddressOf(url)) !== null) {
      throw validationError([
        { path: PORTAL_URL_FIELD, message: PRIVATE_PORTAL_REFUSED, code: 'privateAddress' },
      ]);
    }
  }

  /**
   * amoCRM is called from this server: its address must be an amoCRM account's
   * (https://<subdomain>.amocrm.ru, .amocrm.com or .kommo.com) on a public address, unless
   * PODIUM_ALLOW_PRIVATE_CRM allows a local one. Checked again before each call (crm/amocrm-api.ts).
   */
  private async requireAmocrmAddress(baseUrl: string | undefined): Promise<void> {
    if (baseUrl === undefined || this.config.allowPrivateCrm === true) return;
    const url = new URL(baseUrl);
    if (url.protocol !== 'https:' || !AMOCRM_HOST.test(url.hostname)) {
      throw validationError([
        {
          path: AMOCRM_URL_FIELD,
          code: 'invalid_format',
          message: 'must be the account address, https://<subdomain>.amocrm.ru or .kommo.com',
        },
      ]);
    }
    if ((await nonPublicAddressOf(baseUrl)) !== null) {
      throw validationError([
        { path: AMOCRM_URL_FIELD, message: PRIVATE_PORTAL_REFUSED, code: 'privateAddress' },
      ]);
    }
  }

  /**
   * 1C's OData interface is called from this server: on a loopback, link-local or private address
   * only when PODIUM_ALLOW_PRIVATE_CRM allows it (an infobase on the company's own network).
   * Checked again before each call (crm/onec-odata.ts).
   */
  private async requirePublicOnec(baseUrl: string | undefined): Promise<void> {
    if (baseUrl === undefined || this.config.allowPrivateCrm === true) return;
    if ((await nonPublicAddressOf(baseUrl)) !== null) {
      throw validationError([
        { path: AMOCRM_URL_FIELD, message: PRIVATE_PORTAL_REFUSED, code: 'privateAddress' },
      ]);
    }
  }

  private async save(
    id: string,
    change: Parameters<IntegrationsRepository['update']>[1],
  ): Promise<IntegrationRecord> {
    try {
      return await this.integrations.update(id, change);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw validationError([
          {
            path: 'name',
            code: 'nameTaken',
            message: `an integration named "${change.name}" exists already`,
          },
        ]);
      }
      throw error;
    }
  }

  private crmSettings(
    kind: 'amocrm' | 'bitrix24',
    settings: unknown,
  ): AmocrmSettings | Bitrix24Settings;
  private crmSettings(kind: '1c-odata', settings: unknown): OnecSettings;
  private crmSettings(
    kind: 'amocrm' | 'bitrix24' | '1c-odata',
    settings: unknown,
  ): AmocrmSettings | Bitrix24Settings | OnecSettings;
  private crmSettings(kind: 'amocrm' | 'bitrix24' | '1c-odata', settings: unknown) {
    const schema =
      kind === 'amocrm'
        ? amocrmSettingsSchema
        : kind === 'bitrix24'
          ? bitrix24SettingsSchema
          : onecSettingsSchema;
    const parsed = schema.safeParse(settings);
    if (!parsed.success) throw validationError(fieldIssues(parsed.error.issues, ['settings']));
    return parsed.data;
  }

  private async insert(
    integration: Parameters<IntegrationsRepository['insert']>[0],
  ): Promise<IntegrationRecord> {
    try {
      return await this.integrations.insert(integration);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw validationError([
          {
            path: 'name',
            code: 'nameTaken',
            message: `an integration named "${integration.name}" exists already`,
          },
        ]);
      }
      throw error;
    }
  }

  async list(origin: string): Promise<IntegrationView[]> {
    const records = await this.integrations.list();
    const states = await this.syncs.states(records.map((record) => record.id));
    return records.map((record) => this.view(record, origin, states.get(record.id) ?? null));
  }

  async get(id: string, origin: string): Promise<IntegrationView> {
    const record = await requireIntegration(this.integrations, id);
    return this.view(record, origin, await this.syncs.state(id));
  }

  async revoke(id: string): Promise<void> {
    if (!(await this.integrations.revoke(id))) throw new NotFoundException(`no integration ${id}`);
  }

  private view(
    record: IntegrationRecord,
    origin: string,
    state: SyncState | null,
  ): IntegrationView {
    return {
      id: record.id,
      kind: record.kind,
      name: record.name,
      // The portal's webhook URL holds its secret: shown masked, the application token not at all.
      settings: {
        ...record.settings,
        ...(record.portalWebhookUrl === null
          ? {}
          : { portalWebhookUrl: maskPortalUrl(record.portalWebhookUrl) }),
        ...(record.accessTokenEncrypted === null
          ? {}
          : record.kind === '1c-odata'
            ? { password: '••••••' }
            : { accessToken: '••••••' }),
      },
      // The CRM URLs end with the secret, shown once at creation and masked afterwards.
      webhookUrl:
        record.kind === 'webhook'
          ? `${origin}/api/webhooks/${record.id}`
          : record.kind === '1c-odata'
            ? ''
            : `${origin}/api/webhooks/${record.kind}/${record.id}/••••••`,
      createdAt: record.createdAt.toISOString(),
      lastUsedAt: record.lastUsedAt?.toISOString() ?? null,
      revoked: record.revokedAt !== null,
      sync:
        this.sync.pullerOf(record.kind) === null ? null : syncView(record, state, this.clock.now()),
    };
  }
}
