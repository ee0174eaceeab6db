import { Injectable, Logger } from '@nestjs/common';
import { isUuid, notFound } from '../common/http-errors.js';
import type { ApiKeyPrincipal, Principal } from '../auth/principal.js';
import { generateToken, hashToken } from '../auth/tokens.js';
import { ApiKeysRepository, type ApiKeyRecord } from './api-keys.repository.js';
import type { ApiKeyView, CreateApiKeyDto, CreatedApiKeyView } from './dto/api-key.dto.js';

/** `pdk_` and eight characters of the random part: enough to tell keys apart, useless to guess. */
const PREFIX_LENGTH = 12;
/** Last use is written at most this often per key and process. */
const TOUCH_INTERVAL_MS = 60_000;

function toView(key: ApiKeyRecord): ApiKeyView {
  return {
    id: key.id,
    name: key.name,
    keyPrefix: key.keyPrefix,
    scopes: key.scopes,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  };
}

/** API keys for ingestion: scoped, stored as SHA-256, shown once, revocable. */
@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger(ApiKeysService.name);
  private readonly lastTouched = new Map<string, number>();

  constructor(private readonly keys: ApiKeysRepository) {}

  async list(): Promise<ApiKeyView[]> {
    return (await this.keys.list()).map(toView);
  }

  async create(dto: CreateApiKeyDto, creator: Principal): Promise<CreatedApiKeyView> {
    const key = generateToken('apiKey');
    const created = await this.keys.insert({
      name: dto.name,
      keyHash: hashToken(key),
      keyPrefix: key.slice(0, PREFIX_LENGTH),
      scopes: dto.scopes,
      createdBy: creator.kind === 'user' ? creator.userId : null,
    });
    return { ...toView(created), key };
  }

  async revoke(id: string): Promise<void> {
    if (!isUuid(id) || !(await this.keys.revoke(id))) throw notFound('API key');
    this.lastTouched.delete(id);
  }

  /** The key's principal, or null when unknown or revoked; records the use (throttled). */
  async resolve(key: string): Promise<ApiKeyPrincipal | null> {
    const found = await this.keys.findActiveByHash(hashToken(key));
    if (found === null) return null;
    this.recordUse(found.id);
    return { kind: 'apiKey', apiKeyId: found.id, name: found.name, scopes: found.scopes };
  }

  /** Fire and forget: a failed bookkeeping write must not fail the ingestion it accompanies. */
  private recordUse(id: string): void {
    const now = Date.now();
    if (now - (this.lastTouched.get(id) ?? 0) < TOUCH_INTERVAL_MS) return;
    this.lastTouched.set(id, now);
    this.keys.touch(id).catch((error: unknown) => {
      this.lastTouched.delete(id);
      this.logger.warn(`could not record the use of API key ${id}: ${String(error)}`);
    });
  }
}
