import {
  isMoneyMetric,
  type Basis,
  type FundingMode,
  type HistoryMonth,
  type Leagues,
  type MetricName,
  type Participant,
  type Plan,
} from '@podium/contest-model';

/*
 * The simulator's editable contest: the contest file in the units a director types (money in
 * major units, shares in percent). `sim-draft-input.ts` turns it into a contest file, which the
 * shared schema validates on every change; field paths are the file's JSON paths, so each issue
 * lands next to its field.
 */

/** Whether an amount of this metric on this basis is money (typed in major units). */
export function isMoneyMeasure(metric: MetricName, basis: Basis): boolean {
  return basis === 'absolute' && isMoneyMetric(metric);
}

export interface MeasureDraft {
  metric: MetricName;
  basis: Basis;
  product: string;
  name: string;
  minDeals: number | null;
  minLeads: number | null;
}

export interface CriterionDraft extends MeasureDraft {
  title: string;
  unit: number | null;
  weight: number | null;
  cap: number | null;
  floor: number | null;
}

export interface GateDraft extends MeasureDraft {
  min: number | null;
}

export interface PrizeDraft {
  place: number | null;
  title: string;
  /** Major units. */
  cost: number | null;
  league: string;
  poolPercent: number | null;
  /** Kept as the file had it (an image reference). */
  image: string;
}

export interface PlanDraft {
  turnover: number | null;
  margin: number | null;
  deals: number | null;
  newClients: number | null;
  avgCheck: number | null;
  conversion: number | null;
  /** Product and counter plans, kept as the file had them. */
  products: Plan['products'];
  counters: Plan['counters'];
}

export interface ParticipantDraft {
  id: string;
  name: string;
  team: string;
  role: 'hunter' | 'farmer' | '';
  hiredOn: string;
  isNewcomer: boolean | null;
  league: string;
  plan: PlanDraft;
  history: HistoryMonth[];
  stats: Participant['stats'];
}

export interface RulesDraft {
  name: string;
  description: string;
  currency: string;
  start: string;
  end: string;
  fundSharePercent: number | null;
  guarantee: number | null;
  cap: number | null;
  mode: FundingMode;
  prizes: PrizeDraft[];
  criteria: CriterionDraft[];
  eligibility: GateDraft[];
  leaguesBy: Leagues['by'] | '';
  newcomerMonths: number | null;
  teamAggregate: 'sum' | 'average';
  upliftPercent: number | null;
  correlation: number | null;
  trials: number | null;
  seed: number | null;
}
