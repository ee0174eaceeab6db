import { Injectable, NotFoundException } from '@nestjs/common';
import type { ContestFile, HistoryMonth, Participant } from '@podium/contest-model';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import {
  fieldIssues,
  validationError,
  type FieldIssue,
} from '../common/validation/zod-validation.pipe.js';
import { teamNameSchema } from '../teams/dto/team.dto.js';
import { TeamsService } from '../teams/teams.service.js';
import { historyMonthApiSchema } from './dto/history.dto.js';
import { participantIdSchema } from './dto/participant.dto.js';
import { HistoryRepository } from './history.repository.js';
import { byKey } from './key-order.js';
import { ParticipantsRepository } from './participants.repository.js';

/** A contest file participant as the database knows it: everything but the contest's plan. */
export type ContestProfile = Omit<Participant, 'plan' | 'stats' | 'history'> & {
  role: 'hunter' | 'farmer';
  history: HistoryMonth[];
};

/** What the database needs of a contest file participant beyond what the library checks. */
const contestFileParticipantSchema = z.object({
  id: participantIdSchema,
  name: z.string().trim().min(1, 'must not be blank').max(200),
  team: teamNameSchema.optional(),
  league: z.string().trim().min(1, 'must not be blank').max(100).optional(),
  history: z.array(historyMonthApiSchema).optional(),
});

/**
 * Participants as contest files name them, for the contests capability: the participants a new
 * or edited contest file brings, and the stored participants a contest file is built from.
 */
@Injectable()
export class ContestParticipantsService {
  constructor(
    private readonly participants: ParticipantsRepository,
    private readonly history: HistoryRepository,
    private readonly teams: TeamsService,
  ) {}

  /**
   * Inside the caller's transaction: creates the participants whose id is new, with their teams
   * and history months; existing participants are left exactly as they are (DESIGN §10). Throws
   * a 400 (`validationError`) naming `participants[i].<field>` for what the database cannot hold
   * (blank or too long names, counts above 2^31 − 1).
   */
  async ensureFromContestFile(
    manager: EntityManager,
    participants: ContestFile['participants'],
  ): Promise<{ created: string[]; teamsCreated: string[] }> {
    const issues: FieldIssue[] = [];
    const parsed = participants.map((participant, index) => {
      const result = contestFileParticipantSchema.safeParse(participant);
      if (!result.success)
        issues.push(...fieldIssues(result.error.issues, ['participants', index]));
      return { participant, checked: result.data };
    });
    if (issues.length > 0) throw validationError(issues);

    const existing = await this.participants.existingIds(
      participants.map((participant) => participant.id),
      manager,
    );
    const fresh = parsed.flatMap(({ participant, checked }) =>
      checked !== undefined && !existing.has(checked.id) ? [{ participant, checked }] : [],
    );
    const teams = await this.teams.ensureNames(
      fresh.flatMap(({ checked }) => (checked.team === undefined ? [] : [checked.team])),
      manager,
    );
    const created = await this.participants.insertMissing(
      fresh
        .map(({ participant, checked }) => ({
          id: checked.id,
          name: checked.name,
          teamId: checked.team === undefined ? null : (teams.ids.get(checked.team) ?? null),
          role: participant.role ?? 'hunter',
          hiredOn: participant.hiredOn ?? null,
          isNewcomer: participant.isNewcomer ?? null,
          league: checked.league ?? null,
        }))
        .sort(byKey((row) => row.id)),
      manager,
    );
    const inserted = new Set(created);
    await this.history.insert(
      fresh.flatMap(({ checked }) =>
        inserted.has(checked.id)
          ? (checked.history ?? []).map((month) => ({ ...month, participantId: checked.id }))
          : [],
      ),
      manager,
    );
    return { created: created.sort(), teamsCreated: teams.created };
  }

  /**
   * For each id, in order (duplicates once): `{ id, name, team?, role, hiredOn?, isNewcomer?,
   * league?, history }`, a contest file participant without `plan`, absent fields omitted rather
   * than null. Throws a 404 naming every unknown id.
   */
  async contestProfiles(
    ids: readonly string[],
    manager?: EntityManager,
  ): Promise<ContestProfile[]> {
    const unique = [...new Set(ids)];
    const records = new Map(
      (await this.participants.findRecords(unique, manager)).map((record) => [record.id, record]),
    );
    const unknown = unique.filter((id) => !records.has(id));
    if (unknown.length > 0) {
      throw new NotFoundException(
        `unknown participant(s): ${unknown.map((id) => `"${id}"`).join(', ')}`,
      );
    }
    const history = new Map<string, HistoryMonth[]>();
    for (const { participantId, ...month } of await this.history.list(unique, manager)) {
      const months = history.get(participantId) ?? [];
      months.push(month);
      history.set(participantId, months);
    }
    return unique.map((id) => {
      const record = records.get(id);
      if (record === undefined) throw new NotFoundException(`no participant with id "${id}"`);
      return {
        id,
        name: record.name,
        ...(record.team === null ? {} : { team: record.team }),
        role: record.role,
        ...(record.hiredOn === null ? {} : { hiredOn: record.hiredOn }),
        ...(record.isNewcomer === null ? {} : { isNewcomer: record.isNewcomer }),
        ...(record.league === null ? {} : { league: record.league }),
        history: history.get(id) ?? [],
      };
    });
  }
}
