import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { queryOne, queryRows } from '../database/sql.js';

interface TeamRow {
  id: string;
  name: string;
  participant_count: number;
  created_at: Date;
}

interface TeamRef {
  id: string;
  name: string;
}

export interface TeamRecord {
  readonly id: string;
  readonly name: string;
  readonly participantCount: number;
  readonly createdAt: Date;
}

function toRecord(row: TeamRow): TeamRecord {
  return {
    id: row.id,
    name: row.name,
    participantCount: row.participant_count,
    createdAt: row.created_at,
  };
}

const SELECT_TEAMS = `
  SELECT t.id, t.name, t.created_at,
         (SELECT count(*)::int FROM participants p WHERE p.team_id = t.id) AS participant_count
    FROM teams t`;

@Injectable()
export class TeamsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  async list(manager?: EntityManager): Promise<TeamRecord[]> {
    const found = await queryRows<TeamRow>(
      this.manager(manager),
      `${SELECT_TEAMS} ORDER BY t.name`,
    );
    return found.map(toRecord);
  }

  async find(id: string, manager?: EntityManager): Promise<TeamRecord | null> {
    const row = await queryOne<TeamRow>(this.manager(manager), `${SELECT_TEAMS} WHERE t.id = $1`, [
      id,
    ]);
    return row ? toRecord(row) : null;
  }

  /** Locks the team row until the transaction ends, so no participant joins it meanwhile. */
  async lock(id: string, manager: EntityManager): Promise<boolean> {
    const row = await queryOne(manager, 'SELECT id FROM teams WHERE id = $1 FOR UPDATE', [id]);
    return row !== null;
  }

  async insert(name: string, manager?: EntityManager): Promise<string> {
    const row = await queryOne<{ id: string }>(
      this.manager(manager),
      'INSERT INTO teams (name) VALUES ($1) RETURNING id',
      [name],
    );
    if (row === null) throw new Error('the team insert returned no id');
    return row.id;
  }

  async rename(id: string, name: string, manager?: EntityManager): Promise<void> {
    await this.manager(manager).query('UPDATE teams SET name = $2 WHERE id = $1', [id, name]);
  }

  async delete(id: string, manager?: EntityManager): Promise<void> {
    await this.manager(manager).query('DELETE FROM teams WHERE id = $1', [id]);
  }

  /**
   * The ids of the teams with these names, creating the missing ones. Answers every name's id
   * and the names it created. Safe against a concurrent transaction creating the same name: the
   * insert waits for it and then skips the name, and the select that follows sees its row.
   */
  async ensureNames(
    names: readonly string[],
    manager: EntityManager,
  ): Promise<{ ids: Map<string, string>; created: string[] }> {
    const unique = [...new Set(names)].sort();
    if (unique.length === 0) return { ids: new Map(), created: [] };
    const inserted = await queryRows<{ name: string }>(
      manager,
      `INSERT INTO teams (name) SELECT unnest($1::text[])
         ON CONFLICT (name) DO NOTHING RETURNING name`,
      [unique],
    );
    const named = await queryRows<TeamRef>(
      manager,
      'SELECT id, name FROM teams WHERE name = ANY($1::text[])',
      [unique],
    );
    return {
      ids: new Map(named.map((row) => [row.name, row.id])),
      created: inserted.map((row) => row.name).sort(),
    };
  }
}
