import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { returned } from '../database/returned.js';
import { DisplayContestEntity, DisplayEntity } from './display.entity.js';

/** A display that is not revoked, with its contests in rotation order. */
export interface DisplayRecord {
  readonly id: string;
  readonly name: string;
  readonly contestIds: readonly string[];
  readonly createdAt: Date;
}

interface DisplayRow {
  id: string;
  name: string;
  created_at: Date;
  contest_ids: string[];
}

const SELECT_ACTIVE = `
  SELECT d.id, d.name, d.created_at,
         coalesce(array_agg(dc.contest_id::text ORDER BY dc.position, dc.contest_id)
                    FILTER (WHERE dc.contest_id IS NOT NULL), '{}') AS contest_ids
    FROM displays d LEFT JOIN display_contests dc ON dc.display_id = d.id
   WHERE d.revoked_at IS NULL`;

function toRecord(row: DisplayRow): DisplayRecord {
  return { id: row.id, name: row.name, createdAt: row.created_at, contestIds: row.contest_ids };
}

@Injectable()
export class DisplaysRepository {
  constructor(private readonly dataSource: DataSource) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  async list(): Promise<DisplayRecord[]> {
    const rows: DisplayRow[] = await this.dataSource.query(
      `${SELECT_ACTIVE} GROUP BY d.id ORDER BY d.name, d.created_at`,
    );
    return rows.map(toRecord);
  }

  async find(id: string, manager?: EntityManager): Promise<DisplayRecord | null> {
    const rows: DisplayRow[] = await this.manager(manager).query(
      `${SELECT_ACTIVE} AND d.id = $1 GROUP BY d.id`,
      [id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async findByTokenHash(tokenHash: Buffer, manager?: EntityManager): Promise<DisplayRecord | null> {
    const rows: DisplayRow[] = await this.manager(manager).query(
      `${SELECT_ACTIVE} AND d.token_hash = $1 GROUP BY d.id`,
      [tokenHash],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async insert(
    display: { name: string; tokenHash: Buffer; createdBy: string | null },
    manager: EntityManager,
  ): Promise<string> {
    const result = await manager.insert(DisplayEntity, display);
    const id: unknown = result.identifiers[0]?.id;
    if (typeof id !== 'string') throw new Error('the display insert returned no id');
    return id;
  }

  /** Locks the display row (not revoked) until the transaction ends; false when there is none. */
  async lock(id: string, manager: EntityManager): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      'SELECT id FROM displays WHERE id = $1 AND revoked_at IS NULL FOR UPDATE',
      [id],
    );
    return rows.length > 0;
  }

  async replaceContests(
    displayId: string,
    contestIds: readonly string[],
    manager: EntityManager,
  ): Promise<void> {
    await manager.delete(DisplayContestEntity, { displayId });
    if (contestIds.length === 0) return;
    await manager.insert(
      DisplayContestEntity,
      contestIds.map((contestId, position) => ({ displayId, contestId, position })),
    );
  }

  /** Revokes a display; false when it was unknown or already revoked. */
  async revoke(id: string): Promise<boolean> {
    const result = await this.dataSource.manager.update(
      DisplayEntity,
      { id, revokedAt: IsNull() },
      { revokedAt: () => 'now()' },
    );
    return (result.affected ?? 0) > 0;
  }

  /** Revokes whatever display holds this token hash (the demo token outside demo mode). */
  async revokeByTokenHash(tokenHash: Buffer): Promise<boolean> {
    const result = await this.dataSource.manager.update(
      DisplayEntity,
      { tokenHash, revokedAt: IsNull() },
      { revokedAt: () => 'now()' },
    );
    return (result.affected ?? 0) > 0;
  }

  /** Brings a revoked display with this token hash back; answers its id, or null if none. */
  async reinstateByTokenHash(tokenHash: Buffer, manager: EntityManager): Promise<string | null> {
    const rows = returned<{ id: string }>(
      await manager.query(
        'UPDATE displays SET revoked_at = NULL WHERE token_hash = $1 RETURNING id',
        [tokenHash],
      ),
    );
    return rows[0]?.id ?? null;
  }

  /** Serialises creating the demo display across replicas starting together. */
  async lockDemo(manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [0x706f6432]);
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
