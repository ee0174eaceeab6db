import type { Basis, ContestFile, MetricName, Plan } from '@podium/contest-model';
import {
  isMoneyMeasure,
  type MeasureDraft,
  type ParticipantDraft,
  type PlanDraft,
  type RulesDraft,
} from './sim-draft-types.js';

/* A validated contest file back into the units a director types (a saved draft, a remedy). */

const toMajor = (minor: number): number => minor / 100;

function measureDraft(measure: {
  metric: MetricName;
  basis: Basis;
  product?: string | undefined;
  name?: string | undefined;
  minDeals?: number | undefined;
  minLeads?: number | undefined;
}): MeasureDraft {
  return {
    metric: measure.metric,
    basis: measure.basis,
    product: measure.product ?? '',
    name: measure.name ?? '',
    minDeals: measure.minDeals ?? null,
    minLeads: measure.minLeads ?? null,
  };
}

export function planDraft(plan: Plan): PlanDraft {
  return {
    turnover: toMajor(plan.turnoverMinor),
    margin: toMajor(plan.marginMinor),
    deals: plan.deals ?? null,
    newClients: plan.newClients ?? null,
    avgCheck: plan.avgCheckMinor === undefined ? null : toMajor(plan.avgCheckMinor),
    conversion: plan.conversion ?? null,
    products: plan.products,
    counters: plan.counters,
  };
}

/** The draft of a validated contest file (a saved draft, or the file a remedy gives). */
export function fileToDraft(file: ContestFile): {
  rules: RulesDraft;
  participants: ParticipantDraft[];
} {
  const rules: RulesDraft = {
    name: file.name,
    description: file.description ?? '',
    currency: file.currency,
    start: file.period.start,
    end: file.period.end,
    fundSharePercent: Math.round(file.funding.fundShare * 100 * 1e6) / 1e6,
    guarantee: toMajor(file.funding.guaranteedMinor),
    cap: file.funding.capMinor === null ? null : toMajor(file.funding.capMinor),
    mode: file.funding.mode,
    prizes: file.prizes.map((prize) => ({
      place: prize.place,
      title: prize.title,
      cost: toMajor(prize.costMinor),
      league: prize.league ?? '',
      poolPercent: prize.poolPercent ?? null,
      image: prize.image ?? '',
    })),
    criteria: file.criteria.map((criterion) => ({
      ...measureDraft(criterion),
      title: criterion.title ?? '',
      unit:
        criterion.unit === undefined
          ? null
          : isMoneyMeasure(criterion.metric, criterion.basis)
            ? toMajor(criterion.unit)
            : criterion.unit,
      weight: criterion.weight,
      cap: criterion.cap ?? null,
      floor: criterion.floor ?? null,
    })),
    eligibility: file.eligibility.map((gate) => ({
      ...measureDraft(gate),
      min: isMoneyMeasure(gate.metric, gate.basis) ? toMajor(gate.min) : gate.min,
    })),
    leaguesBy: file.leagues?.by ?? '',
    newcomerMonths: file.leagues?.newcomerMonths ?? 6,
    teamAggregate: file.teamStandings.aggregate,
    upliftPercent: Math.round((file.scenario?.uplift ?? 0.1) * 100 * 1e6) / 1e6,
    correlation: file.scenario?.correlation ?? 0.3,
    trials: file.scenario?.trials ?? 10_000,
    seed: file.scenario?.seed ?? 1,
  };
  const participants = file.participants.map((participant): ParticipantDraft => ({
    id: participant.id,
    name: participant.name,
    team: participant.team ?? '',
    role: participant.role ?? '',
    hiredOn: participant.hiredOn ?? '',
    isNewcomer: participant.isNewcomer ?? null,
    league: participant.league ?? '',
    plan: planDraft(participant.plan),
    history: participant.history ?? [],
    stats: participant.stats,
  }));
  return { rules, participants };
}
