import { randomUUID } from 'node:crypto';
import { Injectable, NotFoundException } from '@nestjs/common';
import { formatJsonPath } from '@podium/contest-model';
import { DataSource, type EntityManager } from 'typeorm';
import type { FieldIssue } from '../common/validation/zod-validation.pipe.js';
import { conflictError } from '../common/http-errors.js';
import { isForeignKeyViolation, isUniqueViolation } from '../database/sql.js';
import { TeamsService } from '../teams/teams.service.js';
import {
  type BulkParticipantsDto,
  type BulkParticipantsResult,
  type CreateParticipantDto,
  type ExternalIdDto,
  type ListParticipantsQuery,
  type ParticipantDetailView,
  type ParticipantPage,
  type ParticipantView,
  type UpdateParticipantDto,
} from './dto/participant.dto.js';
import { HistoryRepository } from './history.repository.js';
import { byKey } from './key-order.js';
import { ExternalIdsRepository, type ExternalIdOwner } from './external-ids.repository.js';
import {
  ParticipantsRepository,
  type ParticipantRecord,
  type ParticipantRow,
} from './participants.repository.js';

/** Whose external ids to set, and where in the request they came from. */
interface ExternalIdAssignment {
  readonly participantId: string;
  readonly externalIds: readonly ExternalIdDto[];
  readonly path: readonly PropertyKey[];
}

function toView(record: ParticipantRecord): ParticipantView {
  return {
    id: record.id,
    name: record.name,
    team: record.team,
    teamId: record.teamId,
    role: record.role,
    hiredOn: record.hiredOn,
    isNewcomer: record.isNewcomer,
    league: record.league,
    externalIds: record.externalIds,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

function notFound(id: string): NotFoundException {
  return new NotFoundException(`no participant with id "${id}"`);
}

/** Turns a constraint the database caught under a concurrent write into the 409 it means. */
function conflictFromDatabase(error: unknown): unknown {
  if (isUniqueViolation(error, 'participants_pkey')) {
    return conflictError('taken', [
      { path: 'id', message: 'a participant with this id already exists' },
    ]);
  }
  if (isUniqueViolation(error, 'participant_external_ids_pkey')) {
    return conflictError('taken', [
      {
        path: 'externalIds',
        message: 'one of these CRM identities was just mapped to another participant',
      },
    ]);
  }
  if (isForeignKeyViolation(error)) {
    return conflictError('in_use', [
      {
        path: 'id',
        message: 'a participant or team this request refers to changed meanwhile: retry',
      },
    ]);
  }
  return error;
}

/**
 * The participants themselves: listing, reading, creating, changing and deleting them with their
 * teams and CRM identities, one at a time or in batches (the participants file import writes
 * with `bulkUpsertWithin`). Contest files reach participants through
 * `ContestParticipantsService`; history and plans have their own services.
 */
@Injectable()
export class ParticipantsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly participants: ParticipantsRepository,
    private readonly externalIds: ExternalIdsRepository,
    private readonly history: HistoryRepository,
    private readonly teams: TeamsService,
  ) {}

  async list(query: ListParticipantsQuery): Promise<ParticipantPage> {
    const { records, total } = await this.participants.list(query);
    return { items: records.map(toView), total, limit: query.limit, offset: query.offset };
  }

  /** The ids among these that name an existing participant (file imports check their rows). */
  existingIds(ids: readonly string[]): Promise<Set<string>> {
    return this.participants.existingIds(ids);
  }

  async get(id: string): Promise<ParticipantDetailView> {
    const record = await this.participants.findRecord(id);
    if (record === null) throw notFound(id);
    return { ...toView(record), historyMonths: await this.history.months(id) };
  }

  async create(dto: CreateParticipantDto): Promise<ParticipantDetailView> {
    const id = dto.id ?? randomUUID();
    await this.write(async (manager) => {
      if ((await this.participants.lock([id], manager)).length > 0) {
        throw conflictError('taken', [
          { path: 'id', message: `a participant with id "${id}" already exists` },
        ]);
      }
      const { ids } = await this.teams.ensureNames(dto.team ? [dto.team] : [], manager);
      await this.participants.insert(
        {
          id,
          name: dto.name,
          teamId: dto.team ? (ids.get(dto.team) ?? null) : null,
          role: dto.role,
          hiredOn: dto.hiredOn ?? null,
          isNewcomer: dto.isNewcomer ?? null,
          league: dto.league ?? null,
        },
        manager,
      );
      await this.assignExternalIds(
        [{ participantId: id, externalIds: dto.externalIds, path: [] }],
        manager,
      );
    });
    return this.get(id);
  }

  async update(id: string, dto: UpdateParticipantDto): Promise<ParticipantDetailView> {
    await this.write(async (manager) => {
      const [current] = await this.participants.lock([id], manager);
      if (current === undefined) throw notFound(id);
      const { ids } = await this.teams.ensureNames(dto.team ? [dto.team] : [], manager);
      const { id: _id, ...changes } = merge(current, dto, ids);
      await this.participants.update(id, changes, manager);
      if (dto.externalIds !== undefined) {
        await this.assignExternalIds(
          [{ participantId: id, externalIds: dto.externalIds, path: [] }],
          manager,
        );
      }
    });
    return this.get(id);
  }

  /**
   * Deletes a participant with its CRM identities and history. Refused with a 409 while events
   * or contests refer to it: the event log is append-only and standings must stay reproducible.
   */
  async delete(id: string): Promise<void> {
    await this.write(async (manager) => {
      // The row lock makes an event or contest entry for this participant wait for the delete.
      const [current] = await this.participants.lock([id], manager);
      if (current === undefined) throw notFound(id);
      const { events, contests } = await this.participants.references(id, manager);
      const issues: FieldIssue[] = [];
      if (events > 0) {
        issues.push({ path: 'id', message: `participant "${id}" has ${events} event(s)` });
      }
      if (contests > 0) {
        issues.push({ path: 'id', message: `participant "${id}" is in ${contests} contest(s)` });
      }
      if (issues.length > 0) throw conflictError('in_use', issues);
      await this.participants.delete(id, manager);
    });
  }

  /**
   * Creates or updates up to 1,000 participants at once, creating the teams they name. All or
   * nothing: a CRM identity held by someone outside the batch is a 409 naming `[i].externalIds[j]`.
   */
  async bulkUpsert(items: BulkParticipantsDto): Promise<BulkParticipantsResult> {
    return this.write((manager) => this.bulkUpsertWithin(manager, items));
  }

  /** `bulkUpsert` inside the caller's transaction (file imports write plans with it). */
  async bulkUpsertWithin(
    manager: EntityManager,
    items: BulkParticipantsDto,
  ): Promise<BulkParticipantsResult> {
    const teamNames = items.flatMap((item) => (item.team ? [item.team] : []));
    const teams = await this.teams.ensureNames(teamNames, manager);
    const existing = new Map(
      (
        await this.participants.lock(
          items.map((item) => item.id),
          manager,
        )
      ).map((row) => [row.id, row]),
    );
    const rows = items.map((item) => merge(existing.get(item.id) ?? null, item, teams.ids));
    const created = await this.participants.upsert([...rows].sort(byKey((row) => row.id)), manager);
    await this.assignExternalIds(
      items.flatMap((item, index) =>
        item.externalIds === undefined
          ? []
          : [{ participantId: item.id, externalIds: item.externalIds, path: [index] }],
      ),
      manager,
    );
    return { created, updated: items.length - created, teamsCreated: teams.created };
  }

  /** Runs a write in a transaction, turning what the database caught meanwhile into a 409. */
  private async write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      throw conflictFromDatabase(error);
    }
  }

  /**
   * Replaces the CRM identities of each participant given. A `(source, externalId)` still held by
   * someone else afterwards is a 409 naming where the request gave it.
   */
  private async assignExternalIds(
    assignments: readonly ExternalIdAssignment[],
    manager: EntityManager,
  ): Promise<void> {
    if (assignments.length === 0) return;
    await this.externalIds.deleteOf(
      assignments.map((assignment) => assignment.participantId),
      manager,
    );
    const owners = new Map(
      (
        await this.externalIds.owners(
          assignments.flatMap((assignment) => assignment.externalIds),
          manager,
        )
      ).map((owner) => [`${owner.source}\u0000${owner.externalId}`, owner.participantId]),
    );
    const issues: FieldIssue[] = [];
    const wanted: ExternalIdOwner[] = [];
    for (const { participantId, externalIds, path } of assignments) {
      externalIds.forEach((externalId, index) => {
        const owner = owners.get(`${externalId.source}\u0000${externalId.externalId}`);
        if (owner !== undefined && owner !== participantId) {
          issues.push({
            path: formatJsonPath([...path, 'externalIds', index]),
            message: `${externalId.source} user "${externalId.externalId}" is already mapped to participant "${owner}"`,
          });
        }
        wanted.push({ ...externalId, participantId });
      });
    }
    if (issues.length > 0) throw conflictError('taken', issues);
    await this.externalIds.insert(
      wanted.sort(byKey((owner) => `${owner.source}\u0000${owner.externalId}`)),
      manager,
    );
  }
}

/** The stored row after applying a change: absent fields keep their value, null clears. */
function merge(
  current: ParticipantRow | null,
  change: UpdateParticipantDto & { id?: string },
  teamIds: ReadonlyMap<string, string>,
): ParticipantRow {
  const teamId =
    change.team === undefined
      ? (current?.teamId ?? null)
      : change.team === null
        ? null
        : (teamIds.get(change.team) ?? null);
  const id = current?.id ?? change.id;
  const name = change.name ?? current?.name;
  if (id === undefined || name === undefined)
    throw new Error('a new participant needs an id and a name');
  return {
    id,
    name,
    teamId,
    role: change.role ?? current?.role ?? 'hunter',
    hiredOn: change.hiredOn === undefined ? (current?.hiredOn ?? null) : change.hiredOn,
    isNewcomer: change.isNewcomer === undefined ? (current?.isNewcomer ?? null) : change.isNewcomer,
    league: change.league === undefined ? (current?.league ?? null) : change.league,
  };
}
