import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { evaluate, type ContestEvent, type EvaluationResult } from '@podium/contest-model';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../common/clock.js';
import { conflictError } from '../common/http-errors.js';
import { EventLogService } from '../events/event-log.service.js';
import { ClawbacksRepository, type ClawbackRecord } from './clawbacks.repository.js';
import { ContestAuditRepository } from './contest-audit.repository.js';
import { ContestRecordsService } from './contest-records.service.js';
import type { ContestRecord } from './contests.repository.js';
import type {
  ClawbackDecisionBody,
  ClawbackImpact,
  ClawbackView,
  HeldPrize,
} from './dto/clawback.dto.js';
import { parseStoredFile } from './stored-file.js';

/**
 * Late cancellations of a closed contest's sales (DESIGN §3.8): the result stays as it closed,
 * each cancellation is listed on the report with what it would have changed, and the director
 * decides whether the prize money is recovered or waived.
 */
@Injectable()
export class ClawbacksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clawbacks: ClawbacksRepository,
    private readonly records: ContestRecordsService,
    private readonly auditTrail: ContestAuditRepository,
    private readonly eventLog: EventLogService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The contest's clawbacks with what each would have changed, oldest first. */
  async ofContest(contest: ContestRecord): Promise<ClawbackView[]> {
    const records = await this.clawbacks.ofContest(contest.id);
    if (records.length === 0) return [];
    const { impact, nameOf } = await this.impactOf(contest);
    return records.map((record) =>
      viewOf(record, nameOf(record.sale.participantId), impact(record)),
    );
  }

  async decide(
    contestId: string,
    clawbackId: number,
    body: ClawbackDecisionBody,
    actor: string,
  ): Promise<ClawbackView> {
    const contest = await this.records.require(contestId);
    await this.dataSource.transaction(async (manager) => {
      await this.records.lock(manager, contestId);
      const decided = await this.clawbacks.decide(manager, {
        contestId,
        id: clawbackId,
        decision: body.decision,
        note: body.note,
        actor,
        at: this.clock.now(),
      });
      const record = (await this.clawbacks.ofContest(contestId, manager)).find(
        (clawback) => clawback.id === clawbackId,
      );
      if (!record)
        throw new NotFoundException(`contest ${contestId} has no clawback ${clawbackId}`);
      if (!decided) {
        throw conflictError(
          'decided',
          `clawback ${clawbackId} was already decided (${record.decision ?? 'unknown'})`,
        );
      }
      await this.auditTrail.audit(manager, {
        contestId,
        actor,
        action: 'clawback-decided',
        details: {
          clawbackId,
          decision: body.decision,
          note: body.note,
          saleExternalId: record.sale.externalId,
          participantId: record.sale.participantId,
        },
      });
    });
    const view = (await this.ofContest(contest)).find((clawback) => clawback.id === clawbackId);
    if (!view) throw new Error('a decided clawback is gone');
    return view;
  }

  /**
   * What adding one reversal to the contest's events changes, by the library's own `evaluate`
   * (fund, prizes and standings), against the same evaluation without it.
   */
  private async impactOf(contest: ContestRecord): Promise<{
    impact: (record: ClawbackRecord) => ClawbackImpact;
    nameOf: (participantId: string) => string;
  }> {
    const file = parseStoredFile(contest.frozenFile ?? contest.definition);
    const events: ContestEvent[] = await this.eventLog.contestEvents(contest.id);
    const before = evaluate({ ...file, events }, { whatItTakes: false });
    const names = new Map(before.standings.map((row) => [row.participantId, row.name]));
    return {
      impact: ({ reversal, sale }) => {
        const after = evaluate({ ...file, events: [...events, reversal] }, { whatItTakes: false });
        return compare(before, after, sale.participantId);
      },
      nameOf: (participantId) => names.get(participantId) ?? participantId,
    };
  }
}

function compare(
  before: EvaluationResult,
  after: EvaluationResult,
  participantId: string,
): ClawbackImpact {
  const rowBefore = before.standings.find((row) => row.participantId === participantId);
  const rowAfter = after.standings.find((row) => row.participantId === participantId);
  return {
    rankBefore: rowBefore?.rank ?? 0,
    rankAfter: rowAfter?.rank ?? 0,
    pointsBefore: rowBefore?.points ?? 0,
    pointsAfter: rowAfter?.points ?? 0,
    prizeBefore: prizeHeld(before, participantId),
    prizeAfter: prizeHeld(after, participantId),
    fundBeforeMinor: before.fundMinor,
    fundAfterMinor: after.fundMinor,
    prizes: before.prizes.map((prize, index) => {
      const changed = after.prizes[index];
      return {
        place: prize.place,
        league: prize.league,
        title: prize.title,
        amountBeforeMinor: prize.amountMinor,
        amountAfterMinor: changed?.amountMinor ?? 0,
        unlockedBefore: prize.unlocked,
        unlockedAfter: changed?.unlocked ?? false,
        winnerBefore: prize.winnerParticipantId,
        winnerAfter: changed?.winnerParticipantId ?? null,
      };
    }),
  };
}

/** The prize the participant wins (held and paid), if any. */
function prizeHeld(result: EvaluationResult, participantId: string): HeldPrize | null {
  const prize = result.prizes.find(
    (candidate) => candidate.winnerParticipantId === participantId && candidate.paidMinor > 0,
  );
  return prize
    ? { place: prize.place, league: prize.league, title: prize.title, paidMinor: prize.paidMinor }
    : null;
}

function viewOf(
  record: ClawbackRecord,
  participantName: string,
  wouldHave: ClawbackImpact,
): ClawbackView {
  return {
    id: record.id,
    participantId: record.sale.participantId,
    participantName,
    source: record.sale.source,
    saleExternalId: record.sale.externalId,
    saleOccurredAt: record.sale.occurredAt,
    amountMinor: record.sale.amountMinor,
    marginMinor: record.sale.marginMinor,
    reversalExternalId: record.reversal.externalId,
    cancelledAt: record.reversal.occurredAt,
    recordedAt: record.recordedAt.toISOString(),
    decision: record.decision,
    note: record.note,
    decidedBy: record.decidedBy,
    decidedAt: record.decidedAt?.toISOString() ?? null,
    wouldHave,
  };
}
