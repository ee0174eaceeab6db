import { roundHalfAwayFromZero, roundTo } from '../money/money.js';
import { computeFunding, type FundingResult } from '../funding/funding.js';
import { prizeGroupOf, type Contest } from '../rules/contest.js';
import type { Basis, MetricName } from '../rules/contest-file.schema.js';
import type { ParticipantState } from '../scoring/replay.js';
import { POINTS_DECIMALS, type CriterionScore } from '../scoring/score-participant.js';
import {
  computeWhatItTakes,
  type PrizeTarget,
  type WhatItTakes,
} from '../scoring/what-it-takes.js';

export interface CriterionRow {
  metric: MetricName;
  product?: string;
  name?: string;
  basis: Basis;
  /** Raw metric: minor units, a count, or % (conversion, 2 decimals); null when undefined. */
  value: number | null;
  /** After basis, unit, floor and cap, 2 decimals; null when the criterion does not score. */
  normalized: number | null;
  /**
   * weight × normalized, 2 decimals. Null only where a viewer may not see it: another
   * participant's row in a contest that hides amounts (the API's redaction).
   */
  points: number | null;
}

export interface StandingRow {
  participantId: string;
  name: string;
  team: string | null;
  league: string | null;
  rank: number;
  points: number;
  eligible: boolean;
  /** When the current total was reached (ISO); null when it has held since the start. */
  reachedAt: string | null;
  /** The prize place the participant holds now, if any. */
  prize: { place: number; league: string | null } | null;
  criteria: CriterionRow[];
  whatItTakes?: WhatItTakes;
}

export interface TeamRow {
  team: string;
  rank: number;
  /** Sum or average (contest `teamStandings.aggregate`) of members' points, 2 decimals. */
  points: number;
  members: number;
}

export interface EvaluationResult extends FundingResult {
  name: string;
  currency: string;
  period: { start: string; end: string };
  /** The cut-off of interim results (`now`), null for the whole period. */
  asOf: string | null;
  actualTurnoverMinor: number;
  standings: StandingRow[];
  teams: TeamRow[];
}

/**
 * Who holds which prize: per prize group (league, or everyone), prize place k goes to the k-th
 * best-ranked eligible participant of the group.
 */
export interface PrizeHolders {
  /** Winner per prize, parallel to `contest.prizes`. */
  winners: (string | null)[];
  /** Participant id → the place and league they hold. */
  placeOf: Map<string, { place: number; league: string | null }>;
}

/**
 * Places held, from each group's eligible participants in rank order (`eligibleInOrder` may give
 * more than `count`: only the first `count` are read).
 */
export function assignPrizes({
  contest,
  eligibleInOrder,
}: {
  contest: Contest;
  eligibleInOrder: (group: string, count: number) => string[];
}): PrizeHolders {
  const placeOf = new Map<string, { place: number; league: string | null }>();
  const holdersByGroup = new Map<string, string[]>();
  for (const group of contest.prizeGroups) {
    holdersByGroup.set(group, eligibleInOrder(group, placesOfGroup({ contest, group })));
  }
  const winners = contest.prizes.map((prize) => {
    // Every prize's group is one of `contest.prizeGroups`.
    const holders = holdersByGroup.get(prize.league ?? '') as string[];
    const holder = holders[prize.place - 1];
    if (holder === undefined) return null;
    placeOf.set(holder, { place: prize.place, league: prize.league ?? null });
    return holder;
  });
  return { winners, placeOf };
}

/** Number of prize places of a participant's group (0 when their league has none). */
export function placesOfGroup({ contest, group }: { contest: Contest; group: string }): number {
  return contest.prizes.filter((prize) => (prize.league ?? '') === group).length;
}

export function toStandingRow({
  contest,
  state,
  rank,
  prize,
}: {
  contest: Contest;
  state: ParticipantState;
  rank: number;
  prize: { place: number; league: string | null } | null;
}): StandingRow {
  const { participant, score } = state;
  return {
    participantId: participant.id,
    name: participant.name,
    team: participant.team,
    league: participant.league,
    rank,
    points: score.points,
    eligible: score.eligible,
    reachedAt: state.reachedAtMs === null ? null : new Date(state.reachedAtMs).toISOString(),
    prize,
    criteria: contest.criteria.map((criterion, index): CriterionRow => {
      // A score has one entry per criterion, in the contest's order.
      const criterionScore = score.criteria[index] as CriterionScore;
      return {
        metric: criterion.metric,
        ...(criterion.product === undefined ? {} : { product: criterion.product }),
        ...(criterion.name === undefined ? {} : { name: criterion.name }),
        basis: criterion.basis,
        value: displayValue({ metric: criterion.metric, value: criterionScore.value }),
        normalized:
          criterionScore.normalized === null
            ? null
            : roundTo({ value: criterionScore.normalized, decimals: 2 }),
        points: roundTo({ value: criterionScore.points, decimals: POINTS_DECIMALS }),
      };
    }),
  };
}

function displayValue({
  metric,
  value,
}: {
  metric: MetricName;
  value: number | null;
}): number | null {
  if (value === null) return null;
  if (metric === 'avgCheck') return roundHalfAwayFromZero(value);
  if (metric === 'conversion') return roundTo({ value, decimals: 2 });
  return value;
}

/**
 * The evaluation result from participant states already in rank order. Shared by `evaluate` and
 * `LiveStandings.snapshot`, which differ only in how they reach the states.
 */
export function buildEvaluationResult({
  contest,
  ordered,
  asOfMs,
  withWhatItTakes,
}: {
  contest: Contest;
  ordered: readonly ParticipantState[];
  asOfMs: number | null;
  withWhatItTakes: boolean;
}): EvaluationResult {
  const eligibleByGroup = new Map<string, ParticipantState[]>();
  for (const state of ordered) {
    if (!state.score.eligible) continue;
    const group = prizeGroupOf(state.participant);
    const list = eligibleByGroup.get(group) ?? [];
    list.push(state);
    eligibleByGroup.set(group, list);
  }
  const holders = assignPrizes({
    contest,
    // All of them: assignPrizes reads the first places only.
    eligibleInOrder: (group) =>
      (eligibleByGroup.get(group) ?? []).map((state) => state.participant.id),
  });
  const funding = computeFunding({
    funding: contest.funding,
    prizes: contest.prizes,
    planMarginMinor: contest.planMarginMinor,
    planTurnoverMinor: contest.planTurnoverMinor,
    actualMarginMinor: ordered.reduce((sum, state) => sum + state.metrics.marginMinor, 0),
    winners: holders.winners,
  });
  const standings = ordered.map((state, index): StandingRow => {
    const row = toStandingRow({
      contest,
      state,
      rank: index + 1,
      prize: holders.placeOf.get(state.participant.id) ?? null,
    });
    if (!withWhatItTakes) return row;
    const above = ordered[index - 1];
    const group = prizeGroupOf(state.participant);
    return {
      ...row,
      whatItTakes: computeWhatItTakes({
        contest,
        state,
        nextUp:
          above === undefined
            ? null
            : { participantId: above.participant.id, points: above.score.points },
        prizeTarget: prizeTargetOf({
          contest,
          state,
          held: row.prize,
          lowestHolder: (places) => eligibleByGroup.get(group)?.[places - 1] ?? null,
        }),
      }),
    };
  });
  return {
    name: contest.name,
    currency: contest.currency,
    period: {
      start: new Date(contest.startMs).toISOString(),
      end: new Date(contest.endMs).toISOString(),
    },
    asOf: asOfMs === null ? null : new Date(asOfMs).toISOString(),
    ...funding,
    actualTurnoverMinor: ordered.reduce((sum, state) => sum + state.metrics.turnoverMinor, 0),
    standings,
    teams: teamStandings({ contest, rows: standings }),
  };
}

/** The prize place a participant is measured against in "what it takes". */
export function prizeTargetOf({
  contest,
  state,
  held,
  lowestHolder,
}: {
  contest: Contest;
  state: ParticipantState;
  held: { place: number; league: string | null } | null;
  /** The eligible participant at the given 1-based position of the participant's group. */
  lowestHolder: (places: number) => ParticipantState | null;
}): PrizeTarget {
  if (held !== null) return { kind: 'held', ...held };
  const group = prizeGroupOf(state.participant);
  const places = placesOfGroup({ contest, group });
  if (places === 0) return { kind: 'none' };
  const holder = lowestHolder(places);
  return {
    kind: 'reach',
    place: places,
    league: state.participant.league,
    points: holder === null ? null : holder.score.points,
  };
}

/**
 * Team standings: members' points summed or averaged (participants without a team are left out),
 * ranked by points, then team name.
 */
export function teamStandings({
  contest,
  rows,
}: {
  contest: Contest;
  rows: readonly StandingRow[];
}): TeamRow[] {
  const byTeam = new Map<string, { total: number; members: number }>();
  for (const row of rows) {
    if (row.team === null) continue;
    const team = byTeam.get(row.team) ?? { total: 0, members: 0 };
    team.total += row.points;
    team.members += 1;
    byTeam.set(row.team, team);
  }
  // Sorted by name (the default sort compares code units, as `<` does), then by points: the
  // sort is stable, so teams tied on points stay in name order.
  return [...byTeam.keys()]
    .sort()
    .map((team) => {
      const { total, members } = byTeam.get(team) as { total: number; members: number };
      const value = contest.teamAggregate === 'sum' ? total : total / members;
      return { team, points: roundTo({ value, decimals: POINTS_DECIMALS }), members };
    })
    .sort((a, b) => b.points - a.points)
    .map((team, index) => ({
      team: team.team,
      rank: index + 1,
      points: team.points,
      members: team.members,
    }));
}
