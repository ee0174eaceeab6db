import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { queryRows } from '../database/sql.js';

export interface IntegrationRecord {
  readonly id: string;
  readonly kind: 'webhook' | 'amocrm' | 'bitrix24' | '1c-odata';
  readonly name: string;
  readonly settings: Record<string, unknown>;
  /** The generic webhook's HMAC key (null for the CRM kinds). */
  readonly signingKey: string | null;
  /** sha256 (hex) of the secret in a CRM's webhook URL. */
  readonly secretHash: string | null;
  /** sha256 (hex) of Bitrix24's application token. */
  readonly applicationTokenHash: string | null;
  /** Bitrix24's inbound webhook URL: a credential, never logged, masked in answers. */
  readonly portalWebhookUrl: string | null;
  /** amoCRM's access token (1C: the password), sealed by SecretBox: opened only to call out. */
  readonly accessTokenEncrypted: string | null;
  /** The amoCRM account the webhooks come from, once known. */
  readonly crmAccount: CrmAccount | null;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

export interface CrmAccount {
  readonly id: string | null;
  readonly subdomain: string | null;
}

interface Row {
  id: string;
  kind: IntegrationRecord['kind'];
  name: string;
  settings: Record<string, unknown>;
  signing_key: string | null;
  secret_hash: string | null;
  application_token_hash: string | null;
  portal_webhook_url: string | null;
  access_token_encrypted: string | null;
  crm_account: CrmAccount | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const toRecord = (row: Row): IntegrationRecord => ({
  id: row.id,
  kind: row.kind,
  name: row.name,
  settings: row.settings,
  signingKey: row.signing_key,
  secretHash: row.secret_hash,
  applicationTokenHash: row.application_token_hash,
  portalWebhookUrl: row.portal_webhook_url,
  accessTokenEncrypted: row.access_token_encrypted,
  crmAccount: row.crm_account,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

@Injectable()
export class IntegrationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(integration: {
    kind: string;
    name: string;
    settings: Record<string, unknown>;
    signingKey: string | null;
    secretHash?: string | null;
    applicationTokenHash?: string | null;
    portalWebhookUrl?: string | null;
    accessTokenEncrypted?: string | null;
    createdBy: string;
  }): Promise<IntegrationRecord> {
    const rows = await queryRows<Row>(
      this.dataSource,
      `INSERT INTO integrations (kind, name, settings, signing_key, secret_hash, application_token_hash,
         portal_webhook_url, created_by, access_token_encrypted)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [
        integration.kind,
        integration.name,
        JSON.stringify(integration.settings),
        integration.signingKey,
        integration.secretHash ?? null,
        integration.applicationTokenHash ?? null,
        integration.portalWebhookUrl ?? null,
        integration.createdBy,
        integration.accessTokenEncrypted ?? null,
      ],
    );
    return toRecord(rows[0] as Row);
  }

  /** Replaces name and settings (and the CRM credentials when given). */
  async update(
    id: string,
    change: {
      name: string;
      settings: Record<string, unknown>;
      applicationTokenHash: string | null;
      portalWebhookUrl: string | null;
      accessTokenEncrypted?: string | null;
    },
  ): Promise<IntegrationRecord> {
    const rows = await queryRows<Row>(
      this.dataSource,
      `UPDATE integrations SET name = $2, settings = $3,
         application_token_hash = COALESCE($4, application_token_hash),
         portal_webhook_url = COALESCE($5, portal_webhook_url),
         access_token_encrypted = COALESCE($6, access_token_encrypted)
       WHERE id = $1 RETURNING *`,
      [
        id,
        change.name,
        JSON.stringify(change.settings),
        change.applicationTokenHash,
        change.portalWebhookUrl,
        change.accessTokenEncrypted ?? null,
      ],
    );
    return toRecord(rows[0] as Row);
  }

  async find(id: string): Promise<IntegrationRecord | null> {
    const rows = await queryRows<Row>(this.dataSource, 'SELECT * FROM integrations WHERE id = $1', [
      id,
    ]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async list(): Promise<IntegrationRecord[]> {
    const rows = await queryRows<Row>(
      this.dataSource,
      'SELECT * FROM integrations ORDER BY created_at',
    );
    return rows.map(toRecord);
  }

  /**
   * Remembers the amoCRM account of the first webhook; answers the account now stored (the
   * first one to be stored when two first calls race).
   */
  async learnAccount(id: string, account: CrmAccount): Promise<CrmAccount | null> {
    await this.dataSource.query(
      'UPDATE integrations SET crm_account = $2 WHERE id = $1 AND crm_account IS NULL',
      [id, JSON.stringify(account)],
    );
    // A statement of its own: it sees whichever first call committed.
    const rows = await queryRows<{ crm_account: CrmAccount | null }>(
      this.dataSource,
      'SELECT crm_account FROM integrations WHERE id = $1',
      [id],
    );
    return rows[0]?.crm_account ?? null;
  }

  async revoke(id: string): Promise<boolean> {
    const rows = await queryRows(
      this.dataSource,
      'UPDATE integrations SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING id',
      [id],
    );
    return rows.length > 0;
  }

  /** Records use at most once a minute per integration: a busy webhook does not write per request. */
  async touch(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE integrations SET last_used_at = now()
       WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }

  async replaceMappings(
    manager: EntityManager,
    id: string,
    mappings: Record<string, string>,
  ): Promise<void> {
    await manager.query('DELETE FROM integration_mappings WHERE integration_id = $1', [id]);
    const entries = Object.entries(mappings);
    if (entries.length === 0) return;
    await manager.query(
      `INSERT INTO integration_mappings (integration_id, crm_user_id, participant_id)
       SELECT $1, * FROM unnest($2::text[], $3::text[])`,
      [
        id,
        entries.map(([crmUserId]) => crmUserId),
        entries.map(([, participantId]) => participantId),
      ],
    );
  }

  async mappings(id: string): Promise<Record<string, string>> {
    const rows = await queryRows<{ crm_user_id: string; participant_id: string }>(
      this.dataSource,
      'SELECT crm_user_id, participant_id FROM integration_mappings WHERE integration_id = $1 ORDER BY crm_user_id',
      [id],
    );
    return Object.fromEntries(rows.map((row) => [row.crm_user_id, row.participant_id]));
  }

  async unknownParticipants(ids: readonly string[]): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      `SELECT u.id FROM unnest($1::text[]) AS u(id) WHERE NOT EXISTS (SELECT 1 FROM participants p WHERE p.id = u.id)`,
      [ids],
    );
    return rows.map((row) => row.id);
  }
}
