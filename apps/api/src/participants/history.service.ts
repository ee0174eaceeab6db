import { Injectable, NotFoundException } from '@nestjs/common';
import type { HistoryMonth } from '@podium/contest-model';
import { DataSource, type EntityManager } from 'typeorm';
import type {
  BulkHistoryDto,
  BulkHistoryResult,
  HistoryRowDto,
  ReplaceHistoryDto,
} from './dto/history.dto.js';
import { HistoryRepository } from './history.repository.js';
import { ParticipantsRepository } from './participants.repository.js';
import { byKey } from './key-order.js';
import { lockKnownParticipants } from './known-participants.js';

function notFound(id: string): NotFoundException {
  return new NotFoundException(`no participant with id "${id}"`);
}

/** Monthly results per participant: what the simulator draws each seller's spread from. */
@Injectable()
export class HistoryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly history: HistoryRepository,
    private readonly participants: ParticipantsRepository,
  ) {}

  /** Every month of a participant, oldest first, in the contest file's shape. */
  async get(participantId: string): Promise<HistoryMonth[]> {
    if ((await this.participants.existingIds([participantId])).size === 0) {
      throw notFound(participantId);
    }
    return (await this.history.list([participantId])).map(
      ({ participantId: _participantId, ...month }) => month,
    );
  }

  /** Replaces every month of a participant at once. */
  async replace(participantId: string, months: ReplaceHistoryDto): Promise<HistoryMonth[]> {
    await this.dataSource.transaction(async (manager) => {
      if ((await this.participants.keyShare([participantId], manager)).size === 0) {
        throw notFound(participantId);
      }
      await this.history.deleteAll(participantId, manager);
      await this.history.insert(
        months.map((month) => ({ ...month, participantId })),
        manager,
      );
    });
    return this.get(participantId);
  }

  /**
   * Writes up to 10,000 months of any participants: a month already stored is overwritten, other
   * months are kept. All or nothing; an unknown participant is a 400 naming `[i].participantId`.
   */
  async bulkUpsert(rows: BulkHistoryDto): Promise<BulkHistoryResult> {
    return this.dataSource.transaction(async (manager) => {
      const created = await this.upsertWithin(manager, rows);
      return { created, updated: rows.length - created };
    });
  }

  /** `bulkUpsert` inside the caller's transaction (the history file import); answers how many were new. */
  async upsertWithin(manager: EntityManager, rows: readonly HistoryRowDto[]): Promise<number> {
    await lockKnownParticipants(this.participants, rows, manager);
    return this.history.upsert(
      [...rows].sort(byKey((row) => `${row.participantId}\u0000${row.month}`)),
      manager,
    );
  }
}
