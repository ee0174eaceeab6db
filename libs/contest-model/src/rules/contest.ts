import {
  planFor,
  type ContestFile,
  type Criterion,
  type EligibilityGate,
  type Funding,
  type Measure,
  type Participant,
  type Prize,
} from './contest-file.schema.js';
import { addUtcMonths, monthsBetween, parseInstant } from './period.js';

/** What a criterion or gate compares against for one participant. */
export interface MeasureReference {
  /** The participant's plan for the measure over the contest period, if any. */
  plan: number | null;
  /** The growth baseline (see {@link baselineFor}); null when there is no usable history. */
  baseline: number | null;
}

export interface ContestParticipant {
  id: string;
  name: string;
  team: string | null;
  /** The league the participant competes in; null when the contest has no leagues. */
  league: string | null;
  isNewcomer: boolean;
  planTurnoverMinor: number;
  planMarginMinor: number;
  /** Parallel to {@link Contest.criteria}. */
  criterionRefs: MeasureReference[];
  /** Parallel to {@link Contest.gates}. */
  gateRefs: MeasureReference[];
}

/** A contest file resolved once into what scoring and funding need (times in ms, plans looked up). */
export interface Contest {
  name: string;
  currency: string;
  startMs: number;
  endMs: number;
  /** Length of the period in calendar months, see {@link monthsBetween}. */
  months: number;
  funding: Funding;
  prizes: Prize[];
  criteria: Criterion[];
  gates: EligibilityGate[];
  teamAggregate: 'sum' | 'average';
  /** Prize groups: the leagues named by prizes, or the single overall group `''`. */
  prizeGroups: string[];
  participants: ContestParticipant[];
  participantsById: ReadonlyMap<string, ContestParticipant>;
  planMarginMinor: number;
  planTurnoverMinor: number;
}

export const DEFAULT_NEWCOMER_MONTHS = 6;

/** Resolves a validated contest file (see `parseContestFile`) into a {@link Contest}. */
export function compileContest({ file }: { file: ContestFile }): Contest {
  const startMs = parseInstant(file.period.start);
  const endMs = parseInstant(file.period.end);
  const months = monthsBetween({ startMs, endMs });
  const newcomerMonths = file.leagues?.newcomerMonths ?? DEFAULT_NEWCOMER_MONTHS;
  const participants = file.participants.map((participant): ContestParticipant => {
    const isNewcomer = isNewcomerAt({ participant, startMs, newcomerMonths });
    const reference = (measure: Measure): MeasureReference => ({
      plan: planFor({ plan: participant.plan, measure }).value ?? null,
      baseline: baselineFor({ participant, measure, months }),
    });
    return {
      id: participant.id,
      name: participant.name,
      team: participant.team ?? null,
      league: leagueOf({ file, participant, isNewcomer }),
      isNewcomer,
      planTurnoverMinor: participant.plan.turnoverMinor,
      planMarginMinor: participant.plan.marginMinor,
      criterionRefs: file.criteria.map(reference),
      gateRefs: file.eligibility.map(reference),
    };
  });
  const prizeGroups = [...new Set(file.prizes.map((prize) => prize.league ?? ''))];
  return {
    name: file.name,
    currency: file.currency,
    startMs,
    endMs,
    months,
    funding: file.funding,
    prizes: file.prizes,
    criteria: file.criteria,
    gates: file.eligibility,
    teamAggregate: file.teamStandings.aggregate,
    prizeGroups,
    participants,
    participantsById: new Map(participants.map((participant) => [participant.id, participant])),
    planMarginMinor: participants.reduce(
      (sum, participant) => sum + participant.planMarginMinor,
      0,
    ),
    planTurnoverMinor: participants.reduce(
      (sum, participant) => sum + participant.planTurnoverMinor,
      0,
    ),
  };
}

/**
 * A newcomer had less than `newcomerMonths` of tenure when the contest started. An explicit
 * `isNewcomer` wins over `hiredOn`; with neither the participant is a veteran.
 */
export function isNewcomerAt({
  participant,
  startMs,
  newcomerMonths,
}: {
  participant: Participant;
  startMs: number;
  newcomerMonths: number;
}): boolean {
  if (participant.isNewcomer !== undefined) return participant.isNewcomer;
  if (participant.hiredOn === undefined) return false;
  return parseInstant(participant.hiredOn) > addUtcMonths({ ms: startMs, months: -newcomerMonths });
}

/** The prize group a participant competes in: its league, or `''` without leagues. */
export function prizeGroupOf(participant: ContestParticipant): string {
  return participant.league ?? '';
}

function leagueOf({
  file,
  participant,
  isNewcomer,
}: {
  file: ContestFile;
  participant: Participant;
  isNewcomer: boolean;
}): string | null {
  switch (file.leagues?.by) {
    case undefined:
      return null;
    case 'tenure':
      return isNewcomer ? 'newcomer' : 'veteran';
    case 'role':
      return participant.role ?? null;
    case 'team':
      return participant.team ?? null;
    case 'field':
      return participant.league ?? null;
  }
}

/**
 * The growth baseline: what the participant would do over the contest without it, i.e. the mean
 * of their history months scaled to the contest length in months (a 2-month contest compares
 * against 2 × the monthly mean). Ratio metrics take the ratio of the history sums, unscaled. Months
 * that lack a figure are left out of its mean; without `history`, `stats` means are used. Null
 * (the criterion does not score) when nothing usable is known or the baseline is not positive.
 */
export function baselineFor({
  participant,
  measure,
  months,
}: {
  participant: Participant;
  measure: Measure;
  months: number;
}): number | null {
  const history = participant.history ?? [];
  let baseline: number | null = null;
  if (history.length > 0) {
    if (measure.metric === 'avgCheck' || measure.metric === 'conversion') {
      let turnover = 0;
      let deals = 0;
      let leads = 0;
      for (const month of history) {
        if (month.deals === undefined) continue;
        if (measure.metric === 'conversion') {
          if (month.leads === undefined) continue;
          leads += month.leads;
        }
        turnover += month.turnoverMinor;
        deals += month.deals;
      }
      baseline =
        measure.metric === 'avgCheck'
          ? deals > 0
            ? turnover / deals
            : null
          : leads > 0
            ? (100 * deals) / leads
            : null;
    } else {
      const values: number[] = [];
      for (const month of history) {
        const value = historyValue({ month, measure });
        if (value !== undefined) values.push(value);
      }
      if (values.length > 0) {
        baseline = (values.reduce((sum, value) => sum + value, 0) / values.length) * months;
      }
    }
  } else if (participant.stats !== undefined) {
    baseline = statsBaseline({ stats: participant.stats, measure, months });
  }
  return baseline !== null && baseline > 0 ? baseline : null;
}

function historyValue({
  month,
  measure,
}: {
  month: NonNullable<Participant['history']>[number];
  measure: Measure;
}): number | undefined {
  switch (measure.metric) {
    case 'turnover':
      return month.turnoverMinor;
    case 'margin':
      return month.marginMinor;
    case 'deals':
      return month.deals;
    case 'newClients':
      return month.newClients;
    case 'productTurnover':
      return month.products === undefined
        ? undefined
        : (month.products[measure.product ?? '']?.turnoverMinor ?? 0);
    case 'productUnits':
      return month.products === undefined
        ? undefined
        : (month.products[measure.product ?? '']?.units ?? 0);
    case 'counter':
      return month.counters === undefined ? undefined : (month.counters[measure.name ?? ''] ?? 0);
    case 'avgCheck':
    case 'conversion':
      return undefined;
  }
}

function statsBaseline({
  stats,
  measure,
  months,
}: {
  stats: NonNullable<Participant['stats']>;
  measure: Measure;
  months: number;
}): number | null {
  switch (measure.metric) {
    case 'turnover':
      return stats.turnoverMeanMinor * months;
    case 'margin':
      return stats.marginRate === undefined
        ? null
        : stats.turnoverMeanMinor * stats.marginRate * months;
    case 'deals':
      return stats.dealsMean === undefined ? null : stats.dealsMean * months;
    case 'newClients':
      return stats.newClientsMean === undefined ? null : stats.newClientsMean * months;
    case 'avgCheck':
      return stats.dealsMean === undefined || stats.dealsMean === 0
        ? null
        : stats.turnoverMeanMinor / stats.dealsMean;
    case 'conversion':
      return stats.dealsMean === undefined || stats.leadsMean === undefined || stats.leadsMean === 0
        ? null
        : (100 * stats.dealsMean) / stats.leadsMean;
    case 'productTurnover':
    case 'productUnits':
    case 'counter':
      return null;
  }
}
