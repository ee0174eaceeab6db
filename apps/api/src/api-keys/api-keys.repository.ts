import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ApiKeyScope } from '../auth/principal.js';
import { queryOne, queryRows } from '../database/sql.js';

/** An API key as stored. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  /** SHA-256 of the key. */
  readonly keyHash: Buffer;
  /** The key's first characters (`pdk_AbCd1234`), so an admin can tell keys apart. */
  readonly keyPrefix: string;
  readonly scopes: ApiKeyScope[];
  readonly createdBy: string | null;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

interface ApiKeyRow {
  id: string;
  name: string;
  key_hash: Buffer;
  key_prefix: string;
  scopes: ApiKeyScope[];
  created_by: string | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS =
  'id, name, key_hash, key_prefix, scopes, created_by, created_at, last_used_at, revoked_at';

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    keyHash: row.key_hash,
    keyPrefix: row.key_prefix,
    scopes: row.scopes,
    createdBy: row.created_by,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Keys not revoked, newest first. */
  async list(): Promise<ApiKeyRecord[]> {
    const found = await queryRows<ApiKeyRow>(
      this.dataSource.manager,
      `SELECT ${COLUMNS} FROM api_keys WHERE revoked_at IS NULL ORDER BY created_at DESC`,
    );
    return found.map(toRecord);
  }

  async findActiveByHash(keyHash: Buffer): Promise<ApiKeyRecord | null> {
    const row = await queryOne<ApiKeyRow>(
      this.dataSource.manager,
      `SELECT ${COLUMNS} FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
      [keyHash],
    );
    return row ? toRecord(row) : null;
  }

  async insert(key: {
    name: string;
    keyHash: Buffer;
    keyPrefix: string;
    scopes: ApiKeyScope[];
    createdBy: string | null;
  }): Promise<ApiKeyRecord> {
    const row = await queryOne<ApiKeyRow>(
      this.dataSource.manager,
      `INSERT INTO api_keys (name, key_hash, key_prefix, scopes, created_by)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [key.name, key.keyHash, key.keyPrefix, key.scopes, key.createdBy],
    );
    if (row === null) throw new Error('the API key insert returned no row');
    return toRecord(row);
  }

  /** Revokes a key; false when it was unknown or already revoked. */
  async revoke(id: string): Promise<boolean> {
    const row = await queryOne(
      this.dataSource.manager,
      'UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id',
      [id],
    );
    return row !== null;
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
