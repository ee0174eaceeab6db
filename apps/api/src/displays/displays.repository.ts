import { Injectable } from '@nestjs/common';
import type { DisplayLanguage, DisplaySlide } from '@podium/contest-model';
import { DataSource, type EntityManager } from 'typeorm';
import { queryOne, queryRows } from '../database/sql.js';

/** A display that is not revoked, with its contests in rotation order. */
export interface DisplayRecord {
  readonly id: string;
  readonly name: string;
  readonly contestIds: readonly string[];
  readonly createdAt: Date;
  readonly settings: DisplaySettings;
}

/** How a display shows its contests (the columns of `displays` beside its identity). */
export interface DisplaySettings {
  readonly language: DisplayLanguage;
  readonly slides: readonly DisplaySlide[];
  readonly slideSeconds: number;
  readonly sound: boolean;
}

interface DisplayRow {
  id: string;
  name: string;
  created_at: Date;
  contest_ids: string[];
  language: DisplayLanguage;
  slides: DisplaySlide[];
  slide_seconds: number;
  sound: boolean;
}

const SELECT_ACTIVE = `
  SELECT d.id, d.name, d.created_at, d.language, d.slides, d.slide_seconds, d.sound,
         coalesce(array_agg(dc.contest_id::text ORDER BY dc.position, dc.contest_id)
                    FILTER (WHERE dc.contest_id IS NOT NULL), '{}') AS contest_ids
    FROM displays d LEFT JOIN display_contests dc ON dc.display_id = d.id
   WHERE d.revoked_at IS NULL`;

function toRecord(row: DisplayRow): DisplayRecord {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    contestIds: row.contest_ids,
    settings: {
      language: row.language,
      slides: row.slides,
      slideSeconds: row.slide_seconds,
      sound: row.sound,
    },
  };
}

@Injectable()
export class DisplaysRepository {
  constructor(private readonly dataSource: DataSource) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  async list(): Promise<DisplayRecord[]> {
    const found = await queryRows<DisplayRow>(
      this.dataSource.manager,
      `${SELECT_ACTIVE} GROUP BY d.id ORDER BY d.name, d.created_at`,
    );
    return found.map(toRecord);
  }

  async find(id: string, manager?: EntityManager): Promise<DisplayRecord | null> {
    const row = await queryOne<DisplayRow>(
      this.manager(manager),
      `${SELECT_ACTIVE} AND d.id = $1 GROUP BY d.id`,
      [id],
    );
    return row ? toRecord(row) : null;
  }

  async findByTokenHash(tokenHash: Buffer, manager?: EntityManager): Promise<DisplayRecord | null> {
    const row = await queryOne<DisplayRow>(
      this.manager(manager),
      `${SELECT_ACTIVE} AND d.token_hash = $1 GROUP BY d.id`,
      [tokenHash],
    );
    return row ? toRecord(row) : null;
  }

  /** Stores a display; answers its id. `tokenHash` is the SHA-256 of the display token. */
  async insert(
    display: {
      name: string;
      tokenHash: Buffer;
      createdBy: string | null;
      settings: DisplaySettings;
    },
    manager: EntityManager,
  ): Promise<string> {
    const { settings } = display;
    const row = await queryOne<{ id: string }>(
      manager,
      `INSERT INTO displays (name, token_hash, created_by, language, slides, slide_seconds, sound)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        display.name,
        display.tokenHash,
        display.createdBy,
        settings.language,
        [...settings.slides],
        settings.slideSeconds,
        settings.sound,
      ],
    );
    if (row === null) throw new Error('the display insert returned no id');
    return row.id;
  }

  /** Locks the display row (not revoked) until the transaction ends; false when there is none. */
  async lock(id: string, manager: EntityManager): Promise<boolean> {
    const row = await queryOne(
      manager,
      'SELECT id FROM displays WHERE id = $1 AND revoked_at IS NULL FOR UPDATE',
      [id],
    );
    return row !== null;
  }

  /** Changes the given fields of a locked display; the others stay. */
  async update(
    id: string,
    change: Partial<DisplaySettings> & { name?: string },
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `UPDATE displays SET name = coalesce($2, name), language = coalesce($3, language),
              slides = coalesce($4, slides), slide_seconds = coalesce($5, slide_seconds),
              sound = coalesce($6, sound)
        WHERE id = $1`,
      [
        id,
        change.name ?? null,
        change.language ?? null,
        change.slides === undefined ? null : [...change.slides],
        change.slideSeconds ?? null,
        change.sound ?? null,
      ],
    );
  }

  /** Gives a locked display a new token: the old one stops working. */
  async replaceToken(id: string, tokenHash: Buffer, manager: EntityManager): Promise<void> {
    await manager.query('UPDATE displays SET token_hash = $2 WHERE id = $1', [id, tokenHash]);
  }

  /** Sets the display's contests; `position` is the order in which it rotates through them. */
  async replaceContests(
    displayId: string,
    contestIds: readonly string[],
    manager: EntityManager,
  ): Promise<void> {
    await manager.query('DELETE FROM display_contests WHERE display_id = $1', [displayId]);
    if (contestIds.length === 0) return;
    await manager.query(
      `INSERT INTO display_contests (display_id, contest_id, position)
       SELECT $1, contest_id, position - 1
         FROM unnest($2::uuid[]) WITH ORDINALITY AS c(contest_id, position)`,
      [displayId, [...contestIds]],
    );
  }

  /** Revokes a display; false when it was unknown or already revoked. */
  async revoke(id: string): Promise<boolean> {
    const row = await queryOne(
      this.dataSource.manager,
      'UPDATE displays SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id',
      [id],
    );
    return row !== null;
  }

  /** Revokes whatever display holds this token hash (the demo token outside demo mode). */
  async revokeByTokenHash(tokenHash: Buffer): Promise<boolean> {
    const revoked = await queryRows(
      this.dataSource.manager,
      `UPDATE displays SET revoked_at = now()
        WHERE token_hash = $1 AND revoked_at IS NULL RETURNING id`,
      [tokenHash],
    );
    return revoked.length > 0;
  }

  /** Brings a revoked display with this token hash back; answers its id, or null if none. */
  async reinstateByTokenHash(tokenHash: Buffer, manager: EntityManager): Promise<string | null> {
    const row = await queryOne<{ id: string }>(
      manager,
      'UPDATE displays SET revoked_at = NULL WHERE token_hash = $1 RETURNING id',
      [tokenHash],
    );
    return row?.id ?? null;
  }

  /** Serialises creating the demo display across replicas starting together. */
  async lockDemo(manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [0x706f6432]);
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
