import { Injectable, NotFoundException } from '@nestjs/common';
import type { EvaluationResult } from '@podium/contest-model';
import { canReadContest, type Principal } from '../auth/principal.js';
import { redactionFor, redactRows } from '../standings/redaction.js';
import { StandingsService, type StandingsSnapshot } from '../standings/standings.service.js';
import { accessOf, ContestsRepository, type ContestRecord } from './contests.repository.js';
import { LifecycleService } from './lifecycle.service.js';

/**
 * What other modules read of a contest, and nothing they could change it with: the live screens
 * depend on this, not on the whole contests service with its transitions and corrections.
 */
@Injectable()
export class ContestReadsService {
  constructor(
    private readonly contests: ContestsRepository,
    private readonly standings: StandingsService,
    private readonly lifecycle: LifecycleService,
  ) {}

  /** The contest's row, or null when there is no such contest. */
  find(id: string): Promise<ContestRecord | null> {
    return this.contests.find(id);
  }

  /**
   * The standings as `GET /api/contests/:id/standings` answers them, redacted for the viewer:
   * a closed contest's frozen result, the live projection, or everyone at zero before launch.
   * NotFound when the viewer may not read the contest.
   */
  async standingsOf(id: string, viewer: Principal): Promise<StandingsSnapshot> {
    const contest = await this.contests.find(id);
    if (!contest || !canReadContest(viewer, accessOf(contest)))
      throw new NotFoundException(`no contest ${id}`);
    const snapshot = await this.current(contest);
    return {
      ...snapshot,
      standings: redactRows(snapshot.standings, redactionFor(viewer, contest.showAmounts)),
    };
  }

  private async current(contest: ContestRecord): Promise<StandingsSnapshot> {
    if (contest.state === 'closed') {
      const result = await this.contests.result(contest.id);
      if (result) {
        return {
          contestId: contest.id,
          seq: result.seq,
          ...(result.standings as EvaluationResult),
        };
      }
    }
    const live = await this.standings.snapshot(contest.id);
    if (live) return live;
    // Not launched yet: the standings as they would start.
    return { contestId: contest.id, seq: 0, ...this.lifecycle.evaluateWithout(contest) };
  }
}
