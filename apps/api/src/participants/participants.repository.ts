import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { queryOne, queryRows } from '../database/sql.js';
import type { ExternalIdDto } from './dto/participant.dto.js';

export type ParticipantRole = 'hunter' | 'farmer';

/**
 * A participant (a seller) with its team's name and its CRM identities: one participant per
 * `(source, externalId)`. The id is the contest file's (`"p1"`, a CRM user id, …), so it is text.
 */
export interface ParticipantRecord {
  readonly id: string;
  readonly name: string;
  readonly teamId: string | null;
  readonly team: string | null;
  readonly role: ParticipantRole;
  readonly hiredOn: string | null;
  readonly isNewcomer: boolean | null;
  readonly league: string | null;
  readonly externalIds: ExternalIdDto[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Every stored column a write sets. */
export interface ParticipantRow {
  readonly id: string;
  readonly name: string;
  readonly teamId: string | null;
  readonly role: ParticipantRole;
  readonly hiredOn: string | null;
  readonly isNewcomer: boolean | null;
  readonly league: string | null;
}

export interface ParticipantFilter {
  readonly team?: string;
  readonly role?: ParticipantRole;
  readonly q?: string;
  readonly limit: number;
  readonly offset: number;
}

interface RecordRow {
  id: string;
  name: string;
  team_id: string | null;
  team: string | null;
  role: ParticipantRole;
  hired_on: string | null;
  is_newcomer: boolean | null;
  league: string | null;
  external_ids: ExternalIdDto[];
  created_at: Date;
  updated_at: Date;
}

const SELECT_RECORDS = `
  SELECT p.id, p.name, p.team_id, t.name AS team, p.role,
         to_char(p.hired_on, 'YYYY-MM-DD') AS hired_on, p.is_newcomer, p.league,
         p.created_at, p.updated_at,
         COALESCE((SELECT json_agg(json_build_object('source', e.source, 'externalId', e.external_id)
                                   ORDER BY e.source, e.external_id)
                     FROM participant_external_ids e WHERE e.participant_id = p.id),
                  '[]'::json) AS external_ids
    FROM participants p
    LEFT JOIN teams t ON t.id = p.team_id`;

function toRecord(row: RecordRow): ParticipantRecord {
  return {
    id: row.id,
    name: row.name,
    teamId: row.team_id,
    team: row.team,
    role: row.role,
    hiredOn: row.hired_on,
    isNewcomer: row.is_newcomer,
    league: row.league,
    externalIds: row.external_ids,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** `%`, `_` and `\` match themselves in a search. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** The columns of `rows`, one array each, for `unnest`. */
function columns(rows: readonly ParticipantRow[]): unknown[] {
  return [
    rows.map((row) => row.id),
    rows.map((row) => row.name),
    rows.map((row) => row.teamId),
    rows.map((row) => row.role),
    rows.map((row) => row.hiredOn),
    rows.map((row) => row.isNewcomer),
    rows.map((row) => row.league),
  ];
}

/** The column each changeable field is stored in. */
const CHANGE_COLUMNS: Record<keyof Omit<ParticipantRow, 'id'>, string> = {
  name: 'name',
  teamId: 'team_id',
  role: 'role',
  hiredOn: 'hired_on',
  isNewcomer: 'is_newcomer',
  league: 'league',
};

const UNNEST_ROWS = `
  SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::date[], $6::boolean[],
                       $7::text[])`;

@Injectable()
export class ParticipantsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  /** One page of participants by name, and how many match in all. */
  async list(
    filter: ParticipantFilter,
    manager?: EntityManager,
  ): Promise<{ records: ParticipantRecord[]; total: number }> {
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    if (filter.team !== undefined) {
      parameters.push(filter.team);
      conditions.push(`t.name = $${parameters.length}`);
    }
    if (filter.role !== undefined) {
      parameters.push(filter.role);
      conditions.push(`p.role = $${parameters.length}`);
    }
    if (filter.q !== undefined) {
      parameters.push(likePattern(filter.q));
      conditions.push(`(p.name ILIKE $${parameters.length} OR p.id ILIKE $${parameters.length})`);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const db = this.manager(manager);
    const counted = await queryOne<{ total: number }>(
      db,
      `SELECT count(*)::int AS total FROM participants p LEFT JOIN teams t ON t.id = p.team_id ${where}`,
      parameters,
    );
    const rows = await queryRows<RecordRow>(
      db,
      `${SELECT_RECORDS} ${where} ORDER BY p.name, p.id
        LIMIT $${parameters.length + 1} OFFSET $${parameters.length + 2}`,
      [...parameters, filter.limit, filter.offset],
    );
    return { records: rows.map(toRecord), total: counted?.total ?? 0 };
  }

  /** The participants with these ids that exist, in no particular order. */
  async findRecords(ids: readonly string[], manager?: EntityManager): Promise<ParticipantRecord[]> {
    if (ids.length === 0) return [];
    const rows = await queryRows<RecordRow>(
      this.manager(manager),
      `${SELECT_RECORDS} WHERE p.id = ANY($1::text[])`,
      [ids],
    );
    return rows.map(toRecord);
  }

  async findRecord(id: string, manager?: EntityManager): Promise<ParticipantRecord | null> {
    const [record] = await this.findRecords([id], manager);
    return record ?? null;
  }

  /**
   * Locks the rows of the participants with these ids that exist (in id order, so two batches
   * cannot deadlock) and answers them. Events and contest entries referencing a locked
   * participant wait until the transaction ends.
   */
  async lock(ids: readonly string[], manager: EntityManager): Promise<ParticipantRow[]> {
    if (ids.length === 0) return [];
    const rows = await queryRows<{
      id: string;
      name: string;
      team_id: string | null;
      role: ParticipantRole;
      hired_on: string | null;
      is_newcomer: boolean | null;
      league: string | null;
    }>(
      manager,
      `SELECT id, name, team_id, role, to_char(hired_on, 'YYYY-MM-DD') AS hired_on, is_newcomer,
              league
         FROM participants WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
      [[...ids]],
    );
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      teamId: row.team_id,
      role: row.role,
      hiredOn: row.hired_on,
      isNewcomer: row.is_newcomer,
      league: row.league,
    }));
  }

  async insert(row: ParticipantRow, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO participants (id, name, team_id, role, hired_on, is_newcomer, league)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [row.id, row.name, row.teamId, row.role, row.hiredOn, row.isNewcomer, row.league],
    );
  }

  /** Sets the given fields, and `updated_at` even when nothing else changes. */
  async update(
    id: string,
    changes: Partial<Omit<ParticipantRow, 'id'>>,
    manager: EntityManager,
  ): Promise<void> {
    const fields = (Object.keys(CHANGE_COLUMNS) as (keyof typeof CHANGE_COLUMNS)[]).filter(
      (field) => changes[field] !== undefined,
    );
    const assignments = fields.map((field, index) => `${CHANGE_COLUMNS[field]} = $${index + 2}`);
    await manager.query(
      `UPDATE participants SET ${[...assignments, 'updated_at = now()'].join(', ')} WHERE id = $1`,
      [id, ...fields.map((field) => changes[field])],
    );
  }

  /** Inserts new rows and overwrites existing ones; answers how many were inserted. */
  async upsert(rows: readonly ParticipantRow[], manager: EntityManager): Promise<number> {
    if (rows.length === 0) return 0;
    const result = await queryRows<{ inserted: boolean }>(
      manager,
      `INSERT INTO participants (id, name, team_id, role, hired_on, is_newcomer, league)
       ${UNNEST_ROWS}
       ON CONFLICT (id) DO UPDATE SET
         name = excluded.name, team_id = excluded.team_id, role = excluded.role,
         hired_on = excluded.hired_on, is_newcomer = excluded.is_newcomer,
         league = excluded.league, updated_at = now()
       RETURNING (xmax = 0) AS inserted`,
      columns(rows),
    );
    return result.filter((row) => row.inserted).length;
  }

  /** Inserts the rows whose id is free and answers their ids; taken ids are left untouched. */
  async insertMissing(rows: readonly ParticipantRow[], manager: EntityManager): Promise<string[]> {
    if (rows.length === 0) return [];
    const inserted = await queryRows<{ id: string }>(
      manager,
      `INSERT INTO participants (id, name, team_id, role, hired_on, is_newcomer, league)
       ${UNNEST_ROWS}
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      columns(rows),
    );
    return inserted.map((row) => row.id);
  }

  async delete(id: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM participants WHERE id = $1', [id]);
  }

  /** What still refers to a participant and forbids deleting it. */
  async references(
    id: string,
    manager: EntityManager,
  ): Promise<{ events: number; contests: number }> {
    const row = await queryOne<{ events: number; contests: number }>(
      manager,
      `SELECT (SELECT count(*)::int FROM events WHERE participant_id = $1) AS events,
              (SELECT count(*)::int FROM contest_participants WHERE participant_id = $1) AS contests`,
      [id],
    );
    return row ?? { events: 0, contests: 0 };
  }

  /** The ids among these that name an existing participant, without locking them. */
  async existingIds(ids: readonly string[], manager?: EntityManager): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await queryRows<{ id: string }>(
      this.manager(manager),
      'SELECT id FROM participants WHERE id = ANY($1::text[])',
      [[...ids]],
    );
    return new Set(rows.map((row) => row.id));
  }

  /**
   * The ids among these that name an existing participant, which then cannot be deleted before
   * the transaction ends (FOR KEY SHARE: what a foreign key check takes; it blocks no update).
   */
  async keyShare(ids: readonly string[], manager: EntityManager): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await queryRows<{ id: string }>(
      manager,
      'SELECT id FROM participants WHERE id = ANY($1::text[]) ORDER BY id FOR KEY SHARE',
      [[...ids]],
    );
    return new Set(rows.map((row) => row.id));
  }
}
