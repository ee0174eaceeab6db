import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import type { ApiKeyScope } from '../auth/principal.js';
import { ApiKeyEntity } from './api-key.entity.js';

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Keys not revoked, newest first. */
  list(): Promise<ApiKeyEntity[]> {
    return this.dataSource.manager.find(ApiKeyEntity, {
      where: { revokedAt: IsNull() },
      order: { createdAt: 'DESC' },
    });
  }

  findActiveByHash(keyHash: Buffer): Promise<ApiKeyEntity | null> {
    return this.dataSource.manager.findOneBy(ApiKeyEntity, { keyHash, revokedAt: IsNull() });
  }

  async insert(key: {
    name: string;
    keyHash: Buffer;
    keyPrefix: string;
    scopes: ApiKeyScope[];
    createdBy: string | null;
  }): Promise<ApiKeyEntity> {
    const result = await this.dataSource.manager.insert(ApiKeyEntity, key);
    const id: unknown = result.identifiers[0]?.id;
    if (typeof id !== 'string') throw new Error('the API key insert returned no id');
    const created = await this.dataSource.manager.findOneBy(ApiKeyEntity, { id });
    if (created === null) throw new Error('the inserted API key vanished');
    return created;
  }

  /** Revokes a key; false when it was unknown or already revoked. */
  async revoke(id: string): Promise<boolean> {
    const result = await this.dataSource.manager.update(
      ApiKeyEntity,
      { id, revokedAt: IsNull() },
      { revokedAt: () => 'now()' },
    );
    return (result.affected ?? 0) > 0;
  }

  /**
   * Records a use unless one was recorded in the last minute, so a busy key costs one write a
   * minute, not one per request — also across replicas.
   */
  async touch(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE api_keys SET last_used_at = now()
        WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }
}
