import { Injectable, NotFoundException } from '@nestjs/common';
import type {
  EvaluationResult,
  PrizeResult,
  SimulationResult,
  StandingRow,
} from '@podium/contest-model';
import type { Principal } from '../auth/principal.js';
import { ResultsService } from '../contests/results.service.js';
import type { DownloadFile } from '../imports/send-file.js';
import type { SimulationExportResult } from './exports.dto.js';
import { SimulationsService } from '../simulations/simulations.service.js';
import { money, renderTables, type ExportCell, type ExportTable } from './tables.js';
import { conflictError } from '../common/http-errors.js';

export type ExportFormat = 'csv' | 'xlsx';

/** Metrics whose raw value is money (minor units); the others are counts or percentages. */
const MONEY_METRICS = new Set(['turnover', 'margin', 'avgCheck', 'productTurnover']);

/** `turnover_rub`: a money column names its currency. */
const amount = (name: string, currency: string) => `${name}_${currency.toLowerCase()}`;

/** The standings as a table: one row per participant, two columns per criterion. */
function standingsTable(name: string, rows: readonly StandingRow[], currency: string): ExportTable {
  const first = rows[0];
  const taken = new Set<string>();
  const criteria = (first?.criteria ?? []).map((criterion, index) => {
    let base = [criterion.metric, criterion.product, criterion.name]
      .filter((part) => part !== undefined && part !== '')
      .join('_');
    if (taken.has(base)) base = `${base}_${index + 1}`;
    taken.add(base);
    const isMoney = MONEY_METRICS.has(criterion.metric);
    return {
      isMoney,
      value: isMoney ? amount(base, currency) : `${base}_value`,
      points: `${base}_points`,
    };
  });
  return {
    name,
    header: [
      'rank',
      'participant_id',
      'name',
      'team',
      'league',
      'points',
      'eligible',
      'prize_place',
      ...criteria.flatMap((criterion) => [criterion.value, criterion.points]),
    ],
    rows: rows.map((row) => [
      row.rank,
      row.participantId,
      row.name,
      row.team,
      row.league,
      row.points,
      row.eligible,
      row.prize?.place ?? null,
      ...criteria.flatMap((criterion, index): ExportCell[] => {
        const value = row.criteria[index]?.value ?? null;
        // Values others may not see arrive as null (redacted) and stay empty.
        return [criterion.isMoney ? money(value) : value, row.criteria[index]?.points ?? null];
      }),
    ]),
  };
}

function prizesTable(prizes: readonly PrizeResult[], currency: string): ExportTable {
  return {
    name: 'Prizes',
    header: [
      'place',
      'league',
      'title',
      amount('cost', currency),
      amount('amount', currency),
      'unlocked',
      amount('paid', currency),
      'winner_participant_id',
    ],
    rows: prizes.map((prize) => [
      prize.place,
      prize.league,
      prize.title,
      money(prize.costMinor),
      money(prize.amountMinor),
      prize.unlocked,
      money(prize.paidMinor),
      prize.winnerParticipantId,
    ]),
  };
}

/** Fund and margins of an evaluation, as field/value rows. */
function summaryTable(result: EvaluationResult, extra: [string, ExportCell][]): ExportTable {
  const currency = result.currency;
  return {
    name: 'Summary',
    header: ['field', 'value'],
    rows: [
      ...extra,
      ['contest', result.name],
      ['currency', currency],
      ['period_start', result.period.start],
      ['period_end', result.period.end],
      [amount('plan_turnover', currency), money(result.planTurnoverMinor)],
      [amount('actual_turnover', currency), money(result.actualTurnoverMinor)],
      [amount('plan_margin', currency), money(result.planMarginMinor)],
      [amount('actual_margin', currency), money(result.actualMarginMinor)],
      [amount('aboveplan_margin', currency), money(result.aboveplanMarginMinor)],
      [amount('fund', currency), money(result.fundMinor)],
      [amount('prizes_paid', currency), money(result.prizesPaidMinor)],
      ['roi', result.roi],
    ],
  };
}

/** A file name of safe characters. */
const fileName = (...parts: (string | number)[]) =>
  parts.map((part) => String(part).replace(/[^\w-]+/g, '-')).join('-');

/**
 * Downloads of standings, a checkpoint, the final report and a simulation result (issue 8.5), as
 * CSV or XLSX. Each reads through the JSON route's own service method, so the same access and
 * redaction rules apply and the numbers are the same.
 */
@Injectable()
export class ExportsService {
  constructor(
    private readonly contests: ResultsService,
    private readonly simulations: SimulationsService,
  ) {}

  async standings(id: string, format: ExportFormat, viewer: Principal): Promise<DownloadFile> {
    const snapshot = await this.contests.standingsOf(id, viewer);
    return renderTables(
      [
        standingsTable('Standings', snapshot.standings, snapshot.currency),
        summaryTable(snapshot, [['seq', snapshot.seq]]),
        prizesTable(snapshot.prizes, snapshot.currency),
      ],
      format,
      fileName('standings', id),
    );
  }

  async checkpoint(
    id: string,
    number: number,
    format: ExportFormat,
    viewer: Principal,
  ): Promise<DownloadFile> {
    const checkpoint = (await this.contests.checkpoints(id, viewer)).find(
      (each) => each.number === number,
    );
    if (checkpoint === undefined) {
      throw new NotFoundException(`contest ${id} has no checkpoint ${number} for you to read`);
    }
    const result = checkpoint.standings;
    return renderTables(
      [
        standingsTable(`Checkpoint ${number}`, result.standings, result.currency),
        summaryTable(result, [
          ['checkpoint', number],
          ['boundary', new Date(checkpoint.boundary).toISOString()],
          [
            'published_at',
            checkpoint.publishedAt ? new Date(checkpoint.publishedAt).toISOString() : null,
          ],
          ['seq', checkpoint.seq],
        ]),
        prizesTable(result.prizes, result.currency),
      ],
      format,
      fileName('checkpoint', id, number),
    );
  }

  async report(id: string, format: ExportFormat, viewer: Principal): Promise<DownloadFile> {
    const report = (await this.contests.report(id)) as unknown as ReportView;
    const standings = await this.contests.standingsOf(id, viewer);
    const currency = report.currency;
    const table: ExportTable = {
      name: 'Report',
      header: ['field', 'value'],
      rows: [
        ['contest', standings.name],
        ['currency', currency],
        ['closed_at', new Date(report.closedAt).toISOString()],
        ['seq', report.seq],
        [amount('plan_margin', currency), money(report.planMarginMinor)],
        [amount('actual_margin', currency), money(report.actualMarginMinor)],
        [amount('aboveplan_margin', currency), money(report.aboveplanMarginMinor)],
        [amount('fund', currency), money(report.fundMinor)],
        [amount('prizes_paid', currency), money(report.prizesPaidMinor)],
        ['roi', report.roi],
        [amount('baseline_margin', currency), money(report.baselineMarginMinor)],
        [amount('incremental_margin', currency), money(report.incrementalMarginMinor)],
        ['incremental_roi', report.incrementalRoi],
      ],
    };
    return renderTables(
      [
        table,
        prizesTable(report.prizes, currency),
        standingsTable('Final standings', standings.standings, currency),
      ],
      format,
      fileName('report', id),
    );
  }

  async simulation(id: string, format: ExportFormat): Promise<DownloadFile> {
    const view = await this.simulations.get(id);
    if (view.result === null || view.result === undefined) {
      throw conflictError(
        'simulation_state',
        `simulation ${id} has no result; it is ${view.state}`,
      );
    }
    return this.simulationResult(view.result as SimulationResult, format, id);
  }

  /**
   * A simulation result as a file: a stored run's, or one the browser computed and posts
   * (`POST /api/exports/simulation.:format`), so both download the same tables.
   */
  simulationResult(
    result: SimulationExportResult,
    format: ExportFormat,
    id: string | null,
  ): Promise<DownloadFile> {
    const currency = result.currency;
    const participants: ExportTable = {
      name: 'Participants',
      header: [
        'participant_id',
        'name',
        'team',
        'league',
        'newcomer',
        'p_first',
        'p_prize',
        'p_paid',
        'expected_rank',
        amount('turnover_month_mean', currency),
      ],
      rows: result.participants.map((each) => [
        each.participantId,
        each.name,
        each.team,
        each.league,
        each.isNewcomer,
        each.pFirst,
        each.pPrize,
        each.pPaid,
        each.expectedRank,
        money(Math.round(each.turnoverMeanMinor)),
      ]),
    };
    const distribution = (
      name: string,
      value: { meanMinor: number; p10Minor: number; p50Minor: number; p90Minor: number },
    ): [string, ExportCell][] => [
      [amount(`${name}_mean`, currency), money(Math.round(value.meanMinor))],
      [amount(`${name}_p10`, currency), money(Math.round(value.p10Minor))],
      [amount(`${name}_p50`, currency), money(Math.round(value.p50Minor))],
      [amount(`${name}_p90`, currency), money(Math.round(value.p90Minor))],
    ];
    const summary: ExportTable = {
      name: 'Summary',
      header: ['field', 'value'],
      rows: [
        ['simulation', id ?? 'browser'],
        ['contest', result.name],
        ['currency', currency],
        ['trials', result.trials],
        [amount('plan_margin', currency), money(result.planMarginMinor)],
        [amount('plan_turnover', currency), money(result.planTurnoverMinor)],
        [amount('prizes_cost', currency), money(result.prizesCostMinor)],
        ...distribution('fund', result.fund),
        ['p_all_prizes_funded', result.pAllPrizesFunded],
        ['break_even_uplift', result.breakEvenUplift],
        ['fairness_verdict', result.fairness.verdict],
        ['effective_contenders', result.fairness.effectiveContenders],
        ['newcomer_prize_share', result.fairness.newcomerPrizeShare],
        ['max_p_first', result.fairness.maxPFirst],
      ],
    };
    const prizes: ExportTable = {
      name: 'Prizes',
      header: ['place', 'league', 'title', amount('cost', currency), 'p_unlocked', 'p_paid'],
      rows: result.prizes.map((prize) => [
        prize.place,
        prize.league,
        prize.title,
        money(prize.costMinor),
        prize.pUnlocked,
        prize.pPaid,
      ]),
    };
    return renderTables(
      [participants, summary, prizes],
      format,
      fileName('simulation', id ?? result.name),
    );
  }
}

/** `GET /api/contests/:id/report`. */
interface ReportView {
  closedAt: string | Date;
  seq: number;
  currency: string;
  planMarginMinor: number;
  actualMarginMinor: number;
  aboveplanMarginMinor: number;
  fundMinor: number;
  prizesPaidMinor: number;
  prizes: PrizeResult[];
  roi: number | null;
  baselineMarginMinor: number | null;
  incrementalMarginMinor: number | null;
  incrementalRoi: number | null;
}
