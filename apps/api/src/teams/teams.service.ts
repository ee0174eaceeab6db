import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { conflictError, isUuid } from '../common/http-errors.js';
import { isUniqueViolation } from '../database/sql.js';
import type { CreateTeamDto, TeamView, UpdateTeamDto } from './dto/team.dto.js';
import { TeamsRepository, type TeamRecord } from './teams.repository.js';

function toView(team: TeamRecord): TeamView {
  return {
    id: team.id,
    name: team.name,
    participantCount: team.participantCount,
    createdAt: team.createdAt.toISOString(),
  };
}

function nameTaken(name: string) {
  return conflictError('taken', [
    { path: 'name', message: `a team named "${name}" already exists` },
  ]);
}

@Injectable()
export class TeamsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly teams: TeamsRepository,
  ) {}

  async list(): Promise<TeamView[]> {
    return (await this.teams.list()).map(toView);
  }

  async get(id: string): Promise<TeamView> {
    const team = isUuid(id) ? await this.teams.find(id) : null;
    if (team === null) throw new NotFoundException(`no team with id "${id}"`);
    return toView(team);
  }

  async create({ name }: CreateTeamDto): Promise<TeamView> {
    try {
      const id = await this.teams.insert(name);
      return await this.get(id);
    } catch (error) {
      if (isUniqueViolation(error, 'teams_name_unique')) throw nameTaken(name);
      throw error;
    }
  }

  /** Renames a team. Contests already launched keep the name their frozen file was given. */
  async update(id: string, { name }: UpdateTeamDto): Promise<TeamView> {
    await this.get(id);
    try {
      await this.teams.rename(id, name);
    } catch (error) {
      if (isUniqueViolation(error, 'teams_name_unique')) throw nameTaken(name);
      throw error;
    }
    return this.get(id);
  }

  /**
   * Deletes an empty team. A team with participants is refused with a 409: silently leaving
   * sellers without a team would change team standings and team leagues of the next contest.
   */
  async delete(id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // The lock makes a participant joining the team meanwhile wait, so the count stays true.
      if (!isUuid(id) || !(await this.teams.lock(id, manager))) {
        throw new NotFoundException(`no team with id "${id}"`);
      }
      const team = await this.teams.find(id, manager);
      if (team !== null && team.participantCount > 0) {
        throw conflictError('in_use', [
          {
            path: 'id',
            message: `team "${team.name}" has ${team.participantCount} participant(s): move them to another team or clear their team first`,
          },
        ]);
      }
      await this.teams.delete(id, manager);
    });
  }

  /**
   * Inside the caller's transaction: the ids of the teams with these names, creating the
   * missing ones (participants name their team). Answers every name's id and the names created.
   */
  ensureNames(
    names: readonly string[],
    manager: EntityManager,
  ): Promise<{ ids: Map<string, string>; created: string[] }> {
    return this.teams.ensureNames(names, manager);
  }
}
