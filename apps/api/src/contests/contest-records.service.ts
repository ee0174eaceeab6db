import { Injectable, NotFoundException } from '@nestjs/common';
import type { ContestState } from '@podium/contest-model';
import type { EntityManager } from 'typeorm';
import { canReadContest, type Principal } from '../auth/principal.js';
import { accessOf, ContestsRepository, type ContestRecord } from './contests.repository.js';

/**
 * Reading contests, for the contests capability and for the others (standings, simulations,
 * realtime, demo): they ask this service, never the contests repository.
 */
@Injectable()
export class ContestRecordsService {
  constructor(private readonly contests: ContestsRepository) {}

  find(id: string, manager?: EntityManager): Promise<ContestRecord | null> {
    return this.contests.find(id, manager);
  }

  list(filter: { states?: readonly ContestState[] } = {}): Promise<ContestRecord[]> {
    return this.contests.list(filter);
  }

  /**
   * The contest, or 404, also when the viewer may not read it (a draft, a contest the seller is
   * not in, one not assigned to the display): its existence is not revealed.
   */
  async require(id: string, viewer?: Principal): Promise<ContestRecord> {
    const contest = await this.contests.find(id);
    if (!contest || (viewer && !canReadContest(viewer, accessOf(contest))))
      throw new NotFoundException(`no contest ${id}`);
    return contest;
  }

  /** The contest locked FOR UPDATE until the transaction ends, or 404. */
  async lock(manager: EntityManager, id: string): Promise<ContestRecord> {
    const contest = await this.contests.lock(manager, id);
    if (!contest) throw new NotFoundException(`no contest ${id}`);
    return contest;
  }
}
