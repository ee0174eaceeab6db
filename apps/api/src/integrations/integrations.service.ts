import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import {
  nonPublicAddressOf,
  PORTAL_URL_FIELD,
  PRIVATE_PORTAL_REFUSED,
} from './crm/portal-address.js';
import { sha256Hex } from '../common/canonical-json.js';
import { fieldIssues, validationError } from '../common/validation/zod-validation.pipe.js';
import { EventsService } from '../events/events.service.js';
import type { IngestAnswer } from '../events/dto/ingest.dto.js';
import {
  REPLAY_WINDOW_S,
  type CreateIntegration,
  type HeldView,
  type IntegrationView,
  type Mappings,
  type UpdateIntegration,
} from './dto/integration.dto.js';
import {
  amocrmSettingsSchema,
  bitrix24SettingsSchema,
  maskPortalUrl,
  type Bitrix24Settings,
} from './dto/crm-settings.dto.js';
import { crmContext } from './crm-context.js';
import { CrmDealsService } from './crm-deals.service.js';
import { CrmRepository } from './crm.repository.js';
import { IntegrationsRepository, type IntegrationRecord } from './integrations.repository.js';

/** The string a webhook signs: `<timestamp>.<raw body>`, as Stripe-style signatures do. */
export function signedPayload(timestamp: string, rawBody: Buffer | string): Buffer {
  return Buffer.concat([
    Buffer.from(`${timestamp}.`),
    Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody),
  ]);
}

export function sign(key: string, timestamp: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', key).update(signedPayload(timestamp, rawBody)).digest('hex')}`;
}

const UNAUTHORIZED = (message: string) =>
  new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message });

/**
 * Integrations that push deals. The generic `webhook` kind (1C and anything else) signs each
 * request: `X-Podium-Timestamp: <unix seconds>` and `X-Podium-Signature: sha256=<hex HMAC-SHA256
 * of "<timestamp>.<raw body>" with the integration's secret>`; a request older or newer than five
 * minutes is refused, so a captured request cannot be replayed later.
 */
@Injectable()
export class IntegrationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly integrations: IntegrationsRepository,
    private readonly events: EventsService,
    private readonly crm: CrmRepository,
    private readonly deals: CrmDealsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(
    body: CreateIntegration,
    actor: string,
    origin: string,
  ): Promise<IntegrationView & { secret: string }> {
    if (body.kind === 'webhook') {
      const secret = `whsec_${randomBytes(32).toString('base64url')}`;
      const record = await this.insert({ ...body, signingKey: secret, createdBy: actor });
      return { ...this.view(record, origin), secret };
    }
    const settings = this.crmSettings(body.kind, body.settings);
    await this.requirePublicPortal((settings as Partial<Bitrix24Settings>).portalWebhookUrl);
    const source = settings.source ?? body.kind;
    if (await this.crm.sourceTaken(source)) {
      throw validationError([
        {
          path: 'settings.source',
          message: `another integration produces events with the source "${source}"; give this one its own`,
        },
      ]);
    }
    // The secret travels in the URL the CRM posts to (neither CRM can sign): only its hash is kept.
    const secret = `crm_${randomBytes(32).toString('base64url')}`;
    const { applicationToken, portalWebhookUrl, ...stored } = settings as Bitrix24Settings;
    const record = await this.insert({
      kind: body.kind,
      name: body.name,
      settings: stored,
      signingKey: null,
      secretHash: sha256Hex(secret),
      applicationTokenHash: applicationToken === undefined ? null : sha256Hex(applicationToken),
      portalWebhookUrl: portalWebhookUrl ?? null,
      createdBy: actor,
    });
    const view = this.view(record, origin);
    return {
      ...view,
      webhookUrl: `${origin}/api/webhooks/${body.kind}/${record.id}/${secret}`,
      secret,
    };
  }

  async update(id: string, change: UpdateIntegration, origin: string): Promise<IntegrationView> {
    const integration = await this.require(id);
    if (integration.revokedAt !== null) {
      throw validationError([{ path: '(body)', message: 'the integration is revoked' }]);
    }
    const name = change.name ?? integration.name;
    if (integration.kind === 'webhook' || change.settings === undefined) {
      const record = await this.save(id, {
        name,
        settings: change.settings ?? integration.settings,
        applicationTokenHash: null,
        portalWebhookUrl: null,
      });
      return this.view(record, origin);
    }
    const stored = integration.settings as { source?: string };
    const given = change.settings;
    const settings = this.crmSettings(integration.kind, {
      ...given,
      // Credentials left out keep their stored values (placeholders pass the checks).
      ...(integration.kind === 'bitrix24' && given.applicationToken === undefined
        ? { applicationToken: 'kept-as-stored' }
        : {}),
      ...(integration.kind === 'bitrix24' && given.portalWebhookUrl === undefined
        ? { portalWebhookUrl: 'https://kept.as.stored/' }
        : {}),
    });
    // A kept URL was checked when it was given.
    if (given.portalWebhookUrl !== undefined) {
      await this.requirePublicPortal((settings as Partial<Bitrix24Settings>).portalWebhookUrl);
    }
    if ((settings.source ?? integration.kind) !== (stored.source ?? integration.kind)) {
      throw validationError([
        {
          path: 'settings.source',
          message: `cannot change: the events already counted carry "${stored.source ?? integration.kind}"`,
        },
      ]);
    }
    const { applicationToken, portalWebhookUrl, ...rest } = settings as Bitrix24Settings;
    const record = await this.save(id, {
      name,
      settings: rest,
      applicationTokenHash:
        given.applicationToken === undefined || applicationToken === undefined
          ? null
          : sha256Hex(applicationToken),
      portalWebhookUrl: given.portalWebhookUrl === undefined ? null : (portalWebhookUrl ?? null),
    });
    return this.view(record, origin);
  }

  /**
   * A Bitrix24 portal is called from this server: on a loopback, link-local or private address it
   * would let an admin (or whoever tricks one) probe the internal network. Checked again at each
   * call (crm/bitrix24.ts), since what a name resolves to can change.
   */
  private async requirePublicPortal(url: string | undefined): Promise<void> {
    if (url === undefined || this.config.allowPrivateCrm === true) return;
    if ((await nonPublicAddressOf(url)) !== null) {
      throw validationError([{ path: PORTAL_URL_FIELD, message: PRIVATE_PORTAL_REFUSED }]);
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
          { path: 'name', message: `an integration named "${change.name}" exists already` },
        ]);
      }
      throw error;
    }
  }

  private crmSettings(kind: 'amocrm' | 'bitrix24', settings: unknown) {
    const schema = kind === 'amocrm' ? amocrmSettingsSchema : bitrix24SettingsSchema;
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
          { path: 'name', message: `an integration named "${integration.name}" exists already` },
        ]);
      }
      throw error;
    }
  }

  async list(origin: string): Promise<IntegrationView[]> {
    return (await this.integrations.list()).map((record) => this.view(record, origin));
  }

  async revoke(id: string): Promise<void> {
    if (!(await this.integrations.revoke(id))) throw new NotFoundException(`no integration ${id}`);
  }

  async replaceMappings(id: string, mappings: Mappings): Promise<Mappings> {
    const integration = await this.require(id);
    const unknown = await this.integrations.unknownParticipants([
      ...new Set(Object.values(mappings)),
    ]);
    if (unknown.length > 0) {
      throw validationError(
        Object.entries(mappings)
          .filter(([, participantId]) => unknown.includes(participantId))
          .map(([crmUserId, participantId]) => ({
            path: crmUserId,
            message: `unknown participant "${participantId}"`,
          })),
      );
    }
    // The new mapping and the deals it releases are one write: a deal held for a CRM user is
    // counted in the same transaction that maps the user.
    const contestIds = await this.dataSource.transaction(async (manager) => {
      await this.crm.lockIntegration(manager, id, 'update');
      await this.integrations.replaceMappings(manager, id, mappings);
      if (integration.kind === 'webhook') return [];
      const context = crmContext(integration);
      const touched: string[] = [];
      const held = await this.crm.heldForUsers(manager, id, Object.keys(mappings));
      for (const observation of held) {
        touched.push(...(await this.deals.apply(manager, context, observation)));
      }
      return touched;
    });
    this.events.notifyContests(contestIds);
    return this.integrations.mappings(id);
  }

  /** Deals held back (unmapped user, other currency, empty margin field) and reads given up. */
  async held(id: string): Promise<HeldView> {
    await this.require(id);
    const [held, failed, pendingFetches] = await Promise.all([
      this.crm.held(id),
      this.crm.failedFetches(id),
      this.crm.pendingFetches(id),
    ]);
    return {
      deals: held.map((deal) => ({
        dealId: deal.dealId,
        crmUserId: deal.crmUserId,
        reason: deal.reason,
        detail: deal.detail,
        amountMinor: deal.observation.amountMinor,
        marginMinor: deal.observation.marginMinor,
        currency: deal.observation.currency,
        occurredAt: deal.observation.occurredAt,
        heldAt: deal.heldAt.toISOString(),
      })),
      failedFetches: failed.map((fetch) => ({
        dealId: fetch.dealId,
        event: fetch.event,
        attempts: fetch.attempts,
        error: fetch.error,
        receivedAt: fetch.receivedAt.toISOString(),
        failedAt: fetch.failedAt.toISOString(),
      })),
      pendingFetches,
    };
  }

  async mappings(id: string): Promise<Mappings> {
    await this.require(id);
    return this.integrations.mappings(id);
  }

  /** A signed webhook request: verified before anything is parsed further or written. */
  async receive(
    id: string,
    {
      timestamp,
      signature,
      rawBody,
      body,
    }: {
      timestamp: string | undefined;
      signature: string | undefined;
      rawBody: Buffer | undefined;
      body: unknown;
    },
  ): Promise<IngestAnswer> {
    const integration = await this.integrations.find(id);
    if (
      !integration ||
      integration.revokedAt !== null ||
      integration.kind !== 'webhook' ||
      integration.signingKey === null
    ) {
      throw UNAUTHORIZED('unknown or revoked integration');
    }
    if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) {
      throw UNAUTHORIZED('X-Podium-Timestamp must be the request time in Unix seconds');
    }
    const age = Math.abs(this.clock.now().getTime() / 1000 - Number(timestamp));
    if (age > REPLAY_WINDOW_S)
      throw UNAUTHORIZED('X-Podium-Timestamp is more than 5 minutes away from now');
    if (signature === undefined || rawBody === undefined) {
      throw UNAUTHORIZED(
        'X-Podium-Signature must be sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">',
      );
    }
    const expected = Buffer.from(sign(integration.signingKey, timestamp, rawBody));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw UNAUTHORIZED('the signature does not match the body');
    }
    const mapped = this.mapParticipants(body, await this.integrations.mappings(id));
    const answer = await this.events.ingest(mapped, { author: `integration:${integration.name}` });
    await this.integrations.touch(id);
    return answer;
  }

  /** A CRM user id mapped to a participant is replaced by the participant's id. */
  private mapParticipants(body: unknown, mappings: Mappings): unknown {
    const map = (item: unknown) => {
      if (item === null || typeof item !== 'object') return item;
      const participantId = (item as { participantId?: unknown }).participantId;
      if (typeof participantId !== 'string' || !(participantId in mappings)) return item;
      return { ...item, participantId: mappings[participantId] };
    };
    return Array.isArray(body) ? body.map(map) : map(body);
  }

  private async require(id: string): Promise<IntegrationRecord> {
    const integration = await this.integrations.find(id);
    if (!integration) throw new NotFoundException(`no integration ${id}`);
    return integration;
  }

  private view(record: IntegrationRecord, origin: string): IntegrationView {
    return {
      id: record.id,
      kind: record.kind,
      name: record.name,
      // The portal's webhook URL holds its secret: shown masked, the application token not at all.
      settings:
        record.portalWebhookUrl === null
          ? record.settings
          : { ...record.settings, portalWebhookUrl: maskPortalUrl(record.portalWebhookUrl) },
      // The CRM URLs end with the secret, shown once at creation and masked afterwards.
      webhookUrl:
        record.kind === 'webhook'
          ? `${origin}/api/webhooks/${record.id}`
          : `${origin}/api/webhooks/${record.kind}/${record.id}/••••••`,
      createdAt: record.createdAt.toISOString(),
      lastUsedAt: record.lastUsedAt?.toISOString() ?? null,
      revoked: record.revokedAt !== null,
    };
  }
}
