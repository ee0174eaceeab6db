import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { queryRows } from '../database/sql.js';

/** A live (not revoked) link with the participant behind it. */
export interface PersonalLinkRecord {
  readonly id: string;
  readonly participantId: string;
  readonly participantName: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

interface LinkRow {
  id: string;
  participant_id: string;
  participant_name: string;
  created_at: Date;
  last_used_at: Date | null;
}

const SELECT_LIVE = `
  SELECT l.id, l.participant_id, p.name AS participant_name, l.created_at, l.last_used_at
    FROM personal_links l JOIN participants p ON p.id = l.participant_id
   WHERE l.revoked_at IS NULL`;

function toRecord(row: LinkRow): PersonalLinkRecord {
  return {
    id: row.id,
    participantId: row.participant_id,
    participantName: row.participant_name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}

@Injectable()
export class PersonalLinksRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findByParticipant(participantId: string): Promise<PersonalLinkRecord | null> {
    const rows = await queryRows<LinkRow>(
      this.dataSource,
      `${SELECT_LIVE} AND l.participant_id = $1`,
      [participantId],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async findByTokenHash(tokenHash: Buffer): Promise<PersonalLinkRecord | null> {
    const rows = await queryRows<LinkRow>(this.dataSource, `${SELECT_LIVE} AND l.token_hash = $1`, [
      tokenHash,
    ]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Locks the participant until the transaction ends; false when there is no such participant. */
  async lockParticipant(participantId: string, manager: EntityManager): Promise<boolean> {
    const rows = await queryRows<unknown>(
      manager,
      'SELECT id FROM participants WHERE id = $1 FOR UPDATE',
      [participantId],
    );
    return rows.length > 0;
  }

  /** Revokes the participant's live link; false when there was none. (A CTE, so the answer is rows.) */
  async revokeForParticipant(participantId: string, manager?: EntityManager): Promise<boolean> {
    const rows = await queryRows(
      manager ?? this.dataSource.manager,
      `WITH revoked AS (
         UPDATE personal_links SET revoked_at = now()
          WHERE participant_id = $1 AND revoked_at IS NULL RETURNING id
       ) SELECT id FROM revoked`,
      [participantId],
    );
    return rows.length > 0;
  }

  async insert(
    link: { participantId: string; tokenHash: Buffer; createdBy: string | null },
    manager: EntityManager,
  ): Promise<{ id: string; createdAt: Date }> {
    const rows = await queryRows<{ id: string; created_at: Date }>(
      manager,
      `INSERT INTO personal_links (participant_id, token_hash, created_by)
       VALUES ($1, $2, $3) RETURNING id, created_at`,
      [link.participantId, link.tokenHash, link.createdBy],
    );
    const row = rows[0];
    if (row === undefined) throw new Error('the personal link insert returned no row');
    return { id: row.id, createdAt: row.created_at };
  }

  async participantExists(participantId: string): Promise<boolean> {
    const rows = await queryRows<unknown>(
      this.dataSource,
      'SELECT 1 FROM participants WHERE id = $1',
      [participantId],
    );
    return rows.length > 0;
  }

  /** Revokes whatever live link holds this token hash (the demo link outside demo mode). */
  async revokeByTokenHash(tokenHash: Buffer): Promise<boolean> {
    const rows = await queryRows<unknown>(
      this.dataSource,
      `WITH revoked AS (
         UPDATE personal_links SET revoked_at = now()
          WHERE token_hash = $1 AND revoked_at IS NULL RETURNING id
       ) SELECT id FROM revoked`,
      [tokenHash],
    );
    return rows.length > 0;
  }

  async deleteByTokenHash(tokenHash: Buffer, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM personal_links WHERE token_hash = $1', [tokenHash]);
  }

  async touch(id: string): Promise<void> {
    await this.dataSource.query('UPDATE personal_links SET last_used_at = now() WHERE id = $1', [
      id,
    ]);
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
