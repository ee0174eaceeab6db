import { Injectable } from '@nestjs/common';
import {
  contestRulesOf,
  type ContestFile,
  type ContestRules,
  type ContestState,
} from '@podium/contest-model';
import { canReadContest, hasRole, type Principal } from '../auth/principal.js';
import { EventLogService } from '../events/event-log.service.js';
import { ContestAuditRepository } from './contest-audit.repository.js';
import { ContestRecordsService } from './contest-records.service.js';
import { accessOf, type ContestApproval, type ContestRecord } from './contests.repository.js';
import { simulatedRulesDigest } from './rule-digest.js';
import type { PlansBody } from './dto/contest.dto.js';
import { PrizeImagesRepository } from './prize-images.repository.js';

export interface ContestSummary {
  readonly id: string;
  readonly name: string;
  readonly state: ContestState;
  readonly currency: string;
  readonly period: { start: string; end: string };
  readonly graceDays: number;
  readonly showAmounts: boolean;
  readonly seq: number;
  readonly participants: number;
  readonly prizes: readonly {
    place: number;
    league: string | null;
    title: string;
    costMinor: number;
    hasImage?: boolean;
  }[];
  readonly launchedAt: string | null;
  readonly closedAt: string | null;
  readonly createdAt: string;
  /** Staff only (`GET /api/contests/:id`): the approved simulation, null before one is. */
  readonly approval?: ApprovalView | null;
  /** Staff only: the next calendar month's draft is made once the period is over. */
  readonly repeatMonthly?: boolean;
}

/** The approved simulation as staff see it; `current` while the rules are the ones it judged. */
export interface ApprovalView {
  readonly verdict: ContestApproval['verdict'];
  readonly approvedAt: string;
  readonly approvedBy: string;
  readonly simulationId: string | null;
  readonly current: boolean;
}

/** The approval of a contest, and whether its rules are still the ones the simulation judged. */
export function approvalOf(contest: ContestRecord): ApprovalView | null {
  const approval = contest.approval;
  if (approval === null) return null;
  return {
    verdict: approval.verdict,
    approvedAt: approval.approvedAt,
    approvedBy: approval.approvedBy,
    simulationId: approval.simulationId,
    current: simulatedRulesDigest(contest.definition).sha256 === approval.rules.sha256,
  };
}

export function summarize(contest: ContestRecord): ContestSummary {
  const file = contest.frozenFile ?? contest.definition;
  return {
    id: contest.id,
    name: contest.name,
    state: contest.state,
    currency: contest.currency,
    period: { start: contest.periodStart.toISOString(), end: contest.periodEnd.toISOString() },
    graceDays: contest.graceDays,
    showAmounts: contest.showAmounts,
    seq: contest.lastSeq,
    participants: file.participants.length,
    prizes: file.prizes.map((prize) => ({
      place: prize.place,
      league: prize.league ?? null,
      title: prize.title,
      costMinor: prize.costMinor,
    })),
    launchedAt: contest.launchedAt?.toISOString() ?? null,
    closedAt: contest.closedAt?.toISOString() ?? null,
    createdAt: contest.createdAt.toISOString(),
  };
}

/**
 * Reading a contest as its screens show it: the list, one contest, its rules and plans, the
 * events it counted and its audit trail. Changes go through the drafts, lifecycle, corrections,
 * results and prize-images services.
 */
@Injectable()
export class ContestsService {
  constructor(
    private readonly records: ContestRecordsService,
    private readonly auditTrail: ContestAuditRepository,
    private readonly events: EventLogService,
    private readonly prizeImages: PrizeImagesRepository,
  ) {}

  async list(state: ContestState | undefined, viewer: Principal): Promise<ContestSummary[]> {
    const contests = await this.records.list(state ? { states: [state] } : {});
    return contests.filter((contest) => canReadContest(viewer, accessOf(contest))).map(summarize);
  }

  async get(id: string, viewer?: Principal): Promise<ContestSummary> {
    const contest = await this.records.require(id, viewer);
    // Sellers and displays see the contest, not how it was decided.
    if (viewer !== undefined && !hasRole(viewer, 'admin', 'director', 'manager'))
      return summarize(contest);
    return {
      ...summarize(contest),
      approval: approvalOf(contest),
      repeatMonthly: contest.repeatMonthly,
    };
  }

  async definition(id: string): Promise<Omit<ContestFile, 'events'>> {
    const contest = await this.records.require(id);
    return contest.frozenFile ?? contest.definition;
  }

  /**
   * The rules as every reader of the contest may see them (a seller, a display): the file without
   * plans, participants or anyone's figures, and which prizes have a picture.
   */
  async rules(id: string, viewer: Principal): Promise<ContestRules & { id: string }> {
    const contest = await this.records.require(id, viewer);
    const pictured = new Set(
      (await this.prizeImages.picturedPrizes(id)).map(
        ({ league, place }) => `${league}\u0000${place}`,
      ),
    );
    const rules = contestRulesOf({
      file: contest.frozenFile ?? contest.definition,
      hasImage: ({ league, place }) => pictured.has(`${league ?? ''}\u0000${place}`),
    });
    return { id: contest.id, ...rules };
  }

  async plans(id: string): Promise<PlansBody> {
    const file = await this.definition(id);
    return Object.fromEntries(
      file.participants.map((participant) => [participant.id, participant.plan]),
    );
  }

  async feed(id: string, query: { beforeSeq?: number; limit: number }) {
    await this.records.require(id);
    return this.events.feed(id, { beforeSeq: query.beforeSeq ?? null, limit: query.limit });
  }

  async audit(id: string) {
    await this.records.require(id);
    return this.auditTrail.auditOf(id);
  }
}
