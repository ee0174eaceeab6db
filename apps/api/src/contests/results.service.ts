import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import {
  addUtcMonths,
  evaluate,
  LiveStandings,
  type EvaluationResult,
} from '@podium/contest-model';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal.js';
import { LiveBus } from '../common/live-bus.js';
import { EventLogService } from '../events/event-log.service.js';
import { isStaff, redactionFor, redactRows } from '../standings/redaction.js';
import { StandingsService, type StandingsSnapshot } from '../standings/standings.service.js';
import { ContestNoticesService } from '../notifications/contest-notices.service.js';
import { ClawbacksService } from './clawbacks.service.js';
import { ContestAuditRepository } from './contest-audit.repository.js';
import { ContestRecordsService } from './contest-records.service.js';
import { reportOf, type ContestReport } from './contest-report.js';
import type { ContestReportView } from './dto/report.dto.js';
import { parseStoredFile } from './stored-file.js';
import type { ContestRecord } from './contests.repository.js';
import { ResultsRepository, type CheckpointRecord } from './results.repository.js';
import { conflictError } from '../common/http-errors.js';

const SYSTEM = 'system';

/** A checkpoint as a viewer reads it: its frozen standings redacted for them. */
export type CheckpointView = Omit<CheckpointRecord, 'standings'> & {
  readonly standings: StandingsSnapshot;
};

/**
 * What a contest produces: its standings as each viewer may see them, the checkpoint frozen at
 * every month boundary (and its publication), and the final standings and report at closing.
 */
@Injectable()
export class ResultsService {
  private readonly logger = new Logger(ResultsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly results: ResultsRepository,
    private readonly records: ContestRecordsService,
    private readonly auditTrail: ContestAuditRepository,
    private readonly events: EventLogService,
    private readonly standings: StandingsService,
    private readonly bus: LiveBus,
    private readonly clawbacks: ClawbacksService,
    private readonly notices: ContestNoticesService,
  ) {}

  async standingsOf(id: string, viewer: Principal): Promise<StandingsSnapshot> {
    const contest = await this.records.require(id, viewer);
    return redactFor(await this.currentStandings(contest), viewer, contest.showAmounts);
  }

  async checkpoints(id: string, viewer: Principal): Promise<CheckpointView[]> {
    const contest = await this.records.require(id, viewer);
    const checkpoints = await this.results.checkpoints(id, { withStandings: true });
    // Displays and sellers see published checkpoints only; managers see them before publishing.
    const staff = isStaff(viewer);
    return checkpoints
      .filter((checkpoint) => staff || checkpoint.publishedAt !== null)
      .map((checkpoint) => ({
        ...checkpoint,
        standings: redactFor(
          { contestId: id, seq: checkpoint.seq, ...(checkpoint.standings as EvaluationResult) },
          viewer,
          contest.showAmounts,
        ),
      }));
  }

  async publishCheckpoint(id: string, number: number, actor: string) {
    const contest = await this.records.require(id);
    // Frozen: read before the transaction, for the month's messages.
    const frozen = (await this.results.checkpoints(id, { withStandings: true })).find(
      (checkpoint) => checkpoint.number === number,
    );
    // The publication, its audit row and its messages: all or nothing.
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.results.publishCheckpoint(manager, id, number, actor))) {
        throw new NotFoundException(`contest ${id} has no checkpoint ${number}`);
      }
      if (frozen !== undefined) {
        await this.notices.monthlyPublished(manager, {
          contest: {
            id,
            name: contest.name,
            file: contest.frozenFile ?? contest.definition,
          },
          number,
          boundary: frozen.boundary,
          standings: frozen.standings as EvaluationResult,
        });
      }
      await this.auditTrail.audit(manager, {
        contestId: id,
        actor,
        action: 'checkpoint-published',
        details: { number },
      });
    });
    const published = (await this.results.checkpoints(id, { withStandings: false })).find(
      (c) => c.number === number,
    );
    if (published) {
      const { contestId, boundary, seq, publishedAt } = published;
      this.bus.publish({
        kind: 'checkpoint',
        checkpoint: { contestId, number, boundary, seq, publishedAt },
      });
    }
    return published;
  }

  async report(id: string): Promise<ContestReportView> {
    const contest = await this.records.require(id);
    const result = await this.results.result(id);
    if (contest.state !== 'closed' || !result) {
      throw conflictError(
        'contest_state',
        `the report exists once the contest is closed; this one is ${contest.state}`,
      );
    }
    return {
      contestId: id,
      closedAt: result.closedAt,
      seq: result.seq,
      ...(result.report as ContestReport),
      // Sales cancelled after the close: the result above stays, the director settles each.
      clawbacks: await this.clawbacks.ofContest(contest),
    };
  }

  /**
   * Freezes the checkpoint of every month boundary that has passed: the standings of the events
   * that occurred before the boundary, whenever they arrived.
   */
  async freezeDueCheckpoints(contestId: string, now: Date): Promise<void> {
    const contest = await this.records.find(contestId);
    if (!contest?.frozenFile) return;
    const existing = new Set(
      (await this.results.checkpoints(contestId, { withStandings: false })).map((c) => c.number),
    );
    const start = contest.periodStart.getTime();
    for (let number = 1; ; number += 1) {
      const boundary = Math.min(
        addUtcMonths({ ms: start, months: number }),
        contest.periodEnd.getTime(),
      );
      if (boundary > now.getTime()) break;
      if (!existing.has(number)) await this.freezeCheckpoint(contest, number, boundary);
      if (boundary >= contest.periodEnd.getTime()) break;
    }
  }

  /**
   * Writes the final standings and report inside the caller's transaction, which holds the
   * contest's lock and moves it to closed: the result exists exactly when the contest is closed.
   */
  async writeFinal(
    manager: EntityManager,
    contest: ContestRecord,
  ): Promise<{ seq: number; report: ContestReport }> {
    // Every linked event, not only those before the end: the links are the period's events and
    // the late cancellations of its sales (reversals dated after the end, DESIGN §3.8).
    const { seq, standings } = await this.standingsBefore(contest, Number.POSITIVE_INFINITY);
    const report = reportOf({ contest, standings });
    await this.results.insertResult(manager, { contestId: contest.id, seq, standings, report });
    return { seq, report };
  }

  private async freezeCheckpoint(
    contest: ContestRecord,
    number: number,
    boundary: number,
  ): Promise<void> {
    const contestId = contest.id;
    const { seq, standings } = await this.standingsBefore(contest, boundary);
    const frozen = await this.dataSource.transaction(async (manager) => {
      // Every process ticks: the contest row lock orders them, and the one that comes second
      // finds the checkpoint made (READ COMMITTED sees it once the lock is granted).
      await this.records.lock(manager, contestId);
      const made = await this.results.checkpoints(contestId, { withStandings: false });
      if (made.some((checkpoint) => checkpoint.number === number)) return false;
      await this.results.insertCheckpoint(manager, {
        contestId,
        number,
        boundary: new Date(boundary),
        seq,
        standings,
      });
      await this.auditTrail.audit(manager, {
        contestId,
        actor: SYSTEM,
        action: 'checkpoint',
        details: { number, boundary: new Date(boundary).toISOString(), seq },
      });
      return true;
    });
    if (frozen)
      this.logger.log(
        `contest ${contestId}: checkpoint ${number} at ${new Date(boundary).toISOString()}`,
      );
  }

  private async currentStandings(contest: ContestRecord): Promise<StandingsSnapshot> {
    if (contest.state === 'closed') {
      const result = await this.results.result(contest.id);
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
    // Not launched yet: the standings as they would start, everyone at zero.
    return { contestId: contest.id, seq: 0, ...evaluate(parseStoredFile(contest.definition)) };
  }

  private async standingsBefore(
    contest: ContestRecord,
    boundaryMs: number,
  ): Promise<{ seq: number; standings: EvaluationResult }> {
    if (!contest.frozenFile) throw new Error('a checkpoint needs a launched contest');
    const standings = LiveStandings.fromFile(parseStoredFile(contest.frozenFile));
    let seq = 0;
    for (;;) {
      const page = await this.events.contestEventsAfter(contest.id, seq, 5_000);
      for (const entry of page) {
        if (Date.parse(entry.event.occurredAt) < boundaryMs) standings.applyEvent(entry.event);
        seq = entry.seq;
      }
      if (page.length < 5_000) break;
    }
    return { seq, standings: standings.snapshot({ whatItTakes: false }) };
  }
}

/**
 * What a viewer may see of the standings: staff see everything; sellers and displays see every
 * rank and points, their own amounts, and others' amounts only when the contest shows them.
 */
export function redactFor(
  snapshot: StandingsSnapshot,
  viewer: Principal,
  showAmounts: boolean,
): StandingsSnapshot {
  return {
    ...snapshot,
    standings: redactRows(snapshot.standings, redactionFor(viewer, showAmounts)),
  };
}
