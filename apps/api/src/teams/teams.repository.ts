import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { TeamEntity } from './team.entity.js';

interface TeamRow {
  id: string;
  name: string;
  participant_count: number;
  created_at: Date;
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
    participantCount: Number(row.participant_count),
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
    const rows: TeamRow[] = await this.manager(manager).query(`${SELECT_TEAMS} ORDER BY t.name`);
    return rows.map(toRecord);
  }

  async find(id: string, manager?: EntityManager): Promise<TeamRecord | null> {
    const rows: TeamRow[] = await this.manager(manager).query(`${SELECT_TEAMS} WHERE t.id = $1`, [
      id,
    ]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Locks the team row until the transaction ends, so no participant joins it meanwhile. */
  async lock(id: string, manager: EntityManager): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT id FROM teams WHERE id = $1 FOR UPDATE', [
      id,
    ]);
    return rows.length > 0;
  }

  async findByName(name: string, manager?: EntityManager): Promise<TeamEntity | null> {
    return this.manager(manager).findOneBy(TeamEntity, { name });
  }

  async insert(name: string, manager?: EntityManager): Promise<string> {
    const result = await this.manager(manager).insert(TeamEntity, { name });
    const id: unknown = result.identifiers[0]?.id;
    if (typeof id !== 'string') throw new Error('the team insert returned no id');
    return id;
  }

  async rename(id: string, name: string, manager?: EntityManager): Promise<void> {
    await this.manager(manager).update(TeamEntity, { id }, { name });
  }

  async delete(id: string, manager?: EntityManager): Promise<void> {
    await this.manager(manager).delete(TeamEntity, { id });
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
    const inserted: { name: string }[] = await manager.query(
      `INSERT INTO teams (name) SELECT unnest($1::text[])
         ON CONFLICT (name) DO NOTHING RETURNING name`,
      [unique],
    );
    const rows: { id: string; name: string }[] = await manager.query(
      'SELECT id, name FROM teams WHERE name = ANY($1::text[])',
      [unique],
    );
    return {
      ids: new Map(rows.map((row) => [row.name, row.id])),
      created: inserted.map((row) => row.name).sort(),
    };
  }
}
