import { parseMoneyCell } from '@podium/contest-model';
import {
  isMoneyMeasure,
  type MeasureDraft,
  type ParticipantDraft,
  type PlanDraft,
  type RulesDraft,
} from './sim-draft-types.js';

/* The contest file the draft stands for: major units to minor units, percent to shares. */

/**
 * An amount typed in major units → minor units, read and rounded as every import reads a money
 * cell (the model's one parser), so the same typed amount is the same minor units everywhere.
 */
function toMinor(major: number | null): number | undefined {
  if (major === null) return undefined;
  const minor = parseMoneyCell(major);
  return minor.ok ? minor.value : undefined;
}
const optional = <T>(value: T | null | ''): T | undefined =>
  value === null || value === '' || (typeof value === 'number' && !Number.isFinite(value))
    ? undefined
    : value;

function measureInput(measure: MeasureDraft) {
  return {
    metric: measure.metric,
    basis: measure.basis,
    product: optional(measure.product.trim()),
    name: optional(measure.name.trim()),
    minDeals: optional(measure.minDeals),
    minLeads: optional(measure.minLeads),
  };
}

function planInput(plan: PlanDraft) {
  return {
    turnoverMinor: toMinor(plan.turnover),
    marginMinor: toMinor(plan.margin),
    deals: optional(plan.deals),
    newClients: optional(plan.newClients),
    avgCheckMinor: toMinor(plan.avgCheck),
    conversion: optional(plan.conversion),
    products: plan.products,
    counters: plan.counters,
  };
}

/** The contest file input (before validation) the draft stands for. */
export function draftToInput(rules: RulesDraft, participants: readonly ParticipantDraft[]) {
  const strip = <T extends object>(value: T): T =>
    Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
  return {
    name: rules.name.trim(),
    description: optional(rules.description.trim()),
    currency: rules.currency.trim().toUpperCase(),
    period: { start: rules.start, end: rules.end },
    funding: strip({
      fundShare: rules.fundSharePercent === null ? undefined : Number(rules.fundSharePercent) / 100,
      guaranteedMinor: toMinor(rules.guarantee) ?? 0,
      capMinor: toMinor(rules.cap) ?? null,
      mode: rules.mode,
    }),
    prizes: rules.prizes.map((prize) =>
      strip({
        place: optional(prize.place),
        title: prize.title.trim(),
        costMinor: toMinor(prize.cost),
        league: optional(prize.league.trim()),
        poolPercent: rules.mode === 'pool' ? optional(prize.poolPercent) : undefined,
        image: optional(prize.image),
      }),
    ),
    criteria: rules.criteria.map((criterion) => {
      const money = isMoneyMeasure(criterion.metric, criterion.basis);
      return strip({
        ...measureInput(criterion),
        title: optional(criterion.title.trim()),
        unit:
          criterion.basis === 'absolute'
            ? money
              ? toMinor(criterion.unit)
              : optional(criterion.unit)
            : undefined,
        weight: optional(criterion.weight),
        cap: optional(criterion.cap),
        floor: optional(criterion.floor),
      });
    }),
    eligibility: rules.eligibility.map((gate) =>
      strip({
        ...measureInput(gate),
        min: isMoneyMeasure(gate.metric, gate.basis) ? toMinor(gate.min) : optional(gate.min),
      }),
    ),
    leagues:
      rules.leaguesBy === ''
        ? undefined
        : strip({ by: rules.leaguesBy, newcomerMonths: optional(rules.newcomerMonths) }),
    teamStandings: { aggregate: rules.teamAggregate },
    participants: participants.map((participant) =>
      strip({
        id: participant.id.trim(),
        name: participant.name.trim(),
        team: optional(participant.team.trim()),
        role: optional(participant.role),
        hiredOn: optional(participant.hiredOn),
        isNewcomer: optional(participant.isNewcomer),
        league: optional(participant.league.trim()),
        plan: strip(planInput(participant.plan)),
        history: participant.history.length > 0 ? participant.history : undefined,
        stats: participant.stats,
      }),
    ),
    scenario: strip({
      uplift: rules.upliftPercent === null ? undefined : Number(rules.upliftPercent) / 100,
      correlation: optional(rules.correlation),
      trials: optional(rules.trials),
      seed: optional(rules.seed),
    }),
  };
}
