import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { lockKnownParticipants } from './known-participants.js';
import type { PlanMonth, PlanRow, ReplacePlansDto } from './plans.dto.js';
import { PlansRepository } from './plans.repository.js';
import { ParticipantsRepository } from './participants.repository.js';

function notFound(id: string): NotFoundException {
  return new NotFoundException(`no participant with id "${id}"`);
}

/**
 * Monthly plans per participant. A contest built from the database sums the stored plans of its
 * period's months; where a month has none, the history's monthly mean stands in (the simulator
 * does this, see `SimParticipants.svelte`). Files import them in bulk (`POST /api/imports/plans`).
 */
@Injectable()
export class PlansService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly plans: PlansRepository,
    private readonly participants: ParticipantsRepository,
  ) {}

  /** Every month of a participant's plan, oldest first. */
  async get(participantId: string): Promise<PlanMonth[]> {
    if ((await this.participants.existingIds([participantId])).size === 0) {
      throw notFound(participantId);
    }
    return this.plans.months(participantId);
  }

  /** The stored months of these participants' plans (none for an unknown id). */
  ofParticipants(participantIds: readonly string[]): Promise<PlanRow[]> {
    return this.plans.list(participantIds);
  }

  /** Replaces every month of a participant's plan at once. */
  async replace(participantId: string, months: ReplacePlansDto): Promise<PlanMonth[]> {
    await this.dataSource.transaction(async (manager) => {
      if ((await this.participants.keyShare([participantId], manager)).size === 0) {
        throw notFound(participantId);
      }
      await this.plans.deleteAll(participantId, manager);
      await this.plans.upsert(
        months.map((month) => ({ ...month, participantId })),
        manager,
      );
    });
    return this.get(participantId);
  }

  /**
   * Inside the caller's transaction (file imports): writes months of any participants, a month
   * already stored overwritten, others kept; an unknown participant is a 400 naming
   * `[i].participantId`. Answers how many months were new.
   */
  async upsertWithin(manager: EntityManager, rows: readonly PlanRow[]): Promise<number> {
    await lockKnownParticipants(this.participants, rows, manager);
    return this.plans.upsert(rows, manager);
  }
}
